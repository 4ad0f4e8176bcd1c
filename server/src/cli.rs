//! Operator commands, so scripts and operations never edit SQL by hand.
use crate::config::Config;
use crate::{router, scheduler};
use app::domain::org::Role;
use app::service::org::FirstPassword;
use app::service::{self, AuditActor};
use app::store::Db;
use std::net::SocketAddr;
use tokio::io::AsyncReadExt;

const USAGE: &str = "usage:
  server                      serve the app (migrates; seeds demo data on an empty database)
  server migrate              apply database migrations (forward only, each in a transaction)
  server migrate --check      list the migrations that would run, changing nothing
  server backup DIR           copy the running SQLite install (database and attachments) into
                              DIR, new or empty, while it keeps serving
  server restore DIR          restore a backup into an empty install (DATABASE_URL, FILES_DIR),
                              migrate it and check every case's history
  server seed-demo            seed the demo organisation (empty database only) and print passwords
  server user add --role ROLE --username NAME --name DISPLAY [--unit UNIT_ID_OR_NAME] [--own-password]
                              add a staff account; the password is read from stdin; its owner
                              changes it at first sign-in unless --own-password says it is theirs
  server user unlock USERNAME clear the failed sign-ins slowing an account down
  server token add NAME [--channel CHANNEL] [--read-all]
                              make a token for a system calling the JSON API (/api/v1), printed
                              once; its cases are filed under CHANNEL (default hotline12345) and
                              it reads only those unless --read-all; --channel open311 makes an
                              api_key for Open311 (/open311/v2)
  server routing train        train the routing models on the closed cases now (the server does
                              it at start and nightly) and print their accuracy on a time split
  server erase-contacts       erase now the residents' names and phones of cases finished, and
                              of calls closed, more than CONTACT_RETENTION_MONTHS ago (default
                              24; the server also does it at start and hourly)
  server risk replay --from YYYY-MM-DD --to YYYY-MM-DD
                              run the risk rules as now set over the cases received on those
                              days (inclusive) and print how many warnings each would raise
  server verify-history       check every case's hash-chained history and stored state;
                              exits non-zero and lists the cases if anything is broken";

pub async fn run(config: Config, args: &[String]) -> Result<(), String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // These look at the database as it is: no migration first, and a restore not even a
    // connection, since opening would create the file it must find absent.
    match args.as_slice() {
        ["restore", src] => return restore(&config, src).await,
        ["migrate", "--check"] => return check_migrations(&config).await,
        _ => {}
    }
    let db = Db::connect(&config.database_url).await.map_err(|e| format!("cannot open the database of DATABASE_URL: {e}"))?;
    db.migrate().await.map_err(|e| format!("migration failed: {e}"))?;
    match args.as_slice() {
        [] | ["serve"] => serve(config, db).await,
        ["migrate"] => {
            println!("migrations applied");
            Ok(())
        }
        ["backup", dest] => backup(&db, &config, dest).await,
        ["seed-demo"] => seed(&db, true).await,
        ["user", "add", rest @ ..] => add_user(&db, rest).await,
        ["user", "unlock", username] => unlock_user(&db, username).await.map(|done| println!("{done}")),
        ["token", "add", name, rest @ ..] => add_token(&db, name, rest).await,
        ["risk", "replay", rest @ ..] => replay_risk(&db, rest).await,
        ["routing", "train"] => train_routing(&db).await,
        ["verify-history"] => verify_history(&db).await.map(|report| println!("{report}")),
        ["erase-contacts"] => {
            let n = service::privacy::erase_expired(&db, config.contact_retention, service::now_ms()).await.map_err(|e| format!("erasure failed: {e}"))?;
            println!(
                "contact data erased after {} months: {} case reporters, {} suggestion authors",
                config.contact_retention.months, n.reporters, n.suggestions
            );
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

async fn seed(db: &Db, explicit: bool) -> Result<(), String> {
    let seeded = service::seed::seed_demo(db).await.map_err(|e| e.to_string())?;
    if seeded.is_empty() {
        if explicit {
            println!("the register already has accounts: nothing seeded");
        }
        return Ok(());
    }
    let cases = service::seed::cases::seed_demo_cases(db).await.map_err(|e| e.to_string())?;
    let suggestions = service::seed::campaigns::seed_demo_campaigns(db).await.map_err(|e| e.to_string())?;
    let shifts = service::seed::duty::seed_demo_roster(db).await.map_err(|e| e.to_string())?;
    let emergencies = service::seed::emergency::seed_demo_emergencies(db).await.map_err(|e| e.to_string())?;
    let hazards = service::seed::hazards::seed_demo_hazards(db).await.map_err(|e| e.to_string())?;
    println!(
        "Demo organisation, {cases} demo cases ({emergencies} emergencies with their reports), 2 livelihood calls with {suggestions} suggestions, {shifts} duty shifts and {hazards} hazards seeded. One-time passwords (shown only now):"
    );
    println!("username         role         password       unit");
    for a in &seeded {
        println!("{:<16} {:<12} {:<14} {}", a.username, a.role.code(), a.password, a.unit);
    }
    Ok(())
}

fn flag<'a>(rest: &[&'a str], name: &str) -> Option<&'a str> {
    rest.iter().position(|a| *a == name).and_then(|i| rest.get(i + 1)).copied()
}

async fn add_user(db: &Db, rest: &[&str]) -> Result<(), String> {
    let role: Role = flag(rest, "--role")
        .ok_or(USAGE)?
        .parse()
        .map_err(|_| format!("unknown role; one of: {}", Role::ALL.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ")))?;
    let username = flag(rest, "--username").ok_or(USAGE)?;
    let name = flag(rest, "--name").unwrap_or(username);
    let unit_id = match flag(rest, "--unit") {
        Some(u) => Some(unit_id_of(db, u).await?),
        None => None,
    };
    let mut password = String::new();
    tokio::io::stdin().read_to_string(&mut password).await.map_err(|e| e.to_string())?;
    let password = password.trim_end_matches(['\r', '\n']);
    let input = service::org::StaffInput { username, display_name: name, role, unit_id, phone: "" };
    let chosen_by = if rest.contains(&"--own-password") { FirstPassword::OwnersOwn } else { FirstPassword::SetByAdmin };
    let id = service::org::save_user(db, &AuditActor::default(), None, &input, Some(password), chosen_by).await.map_err(|e| e.to_string())?;
    println!("user {username} added with id {id}");
    Ok(())
}

/// `server user unlock USERNAME`: the account's failed sign-ins are forgotten, so its owner
/// may sign in at once (recorded in the audit trail like an admin's unlock on the page).
pub async fn unlock_user(db: &Db, username: &str) -> Result<String, String> {
    match service::signin::unlock(db, &AuditActor::default(), username).await {
        Ok(()) => Ok(format!("sign-in of {username} is no longer slowed down")),
        Err(app::error::AppError::NotFound | app::error::AppError::Invalid(_)) => Err(format!("no account named {username}")),
        Err(e) => Err(e.to_string()),
    }
}

/// A unit given by id or by its exact name.
async fn unit_id_of(db: &Db, unit: &str) -> Result<i64, String> {
    if let Ok(id) = unit.parse::<i64>() {
        return Ok(id);
    }
    let found = service::org::active_unit_named(db, unit).await.map_err(|e| e.to_string())?;
    found.ok_or_else(|| format!("no active unit named {unit}"))
}

/// Prints the new token once: only its hash is kept, so a lost token is replaced, not recovered.
async fn add_token(db: &Db, name: &str, rest: &[&str]) -> Result<(), String> {
    let mut channel = app::domain::case::Channel::Hotline12345;
    let mut read_all = false;
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--read-all" => read_all = true,
            "--channel" => {
                let c = args.next().ok_or("--channel needs a value")?;
                channel = c.parse().map_err(|_| format!("unknown channel {c}"))?;
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    match service::api::create_token(db, name, channel, read_all).await {
        Ok(token) => {
            println!("API token for {name} (shown only now; send it as Authorization: Bearer <token>):");
            println!("{token}");
            Ok(())
        }
        Err(app::error::AppError::Duplicate) => Err(format!("a token named {name} already exists")),
        Err(e) => Err(e.to_string()),
    }
}

/// `server verify-history`: walks every case's hash chain and replays it against the
/// stored state. `Ok` is the all-clear; `Err` lists each broken case (by tracking code),
/// so the command exits non-zero, or says why the check could not run.
pub async fn verify_history(db: &Db) -> Result<String, String> {
    use app::service::cases::{self, Broken};
    let (checked, broken) = cases::verify_history(db).await.map_err(|e| format!("cannot read the case history: {e}"))?;
    let s = if checked == 1 { "" } else { "s" };
    if broken.is_empty() {
        return Ok(format!("{checked} case{s} checked, every history intact"));
    }
    let mut report = format!("{checked} case{s} checked, {} broken:", broken.len());
    for b in &broken {
        let (id, what) = match b {
            Broken::Link { case_id, seq } => (*case_id, format!("history entry {seq} does not fit its chain (altered, removed or inserted)")),
            Broken::State { case_id } => (*case_id, "the stored state is not what its history gives".to_string()),
        };
        let code = cases::code_of(db, id).await.ok().flatten().unwrap_or_default();
        report.push_str(&format!("\n  {code} (case {id}): {what}"));
    }
    Err(report)
}

async fn serve(config: Config, db: Db) -> Result<(), String> {
    if config.seed_demo {
        seed(&db, false).await?;
    }
    let options = router::leptos_options()?;
    let addr: SocketAddr = options.site_addr;
    let effects = app::service::Effects::new(&db, config.files_dir.clone());
    let scheduler = scheduler::start(db.clone(), effects.clone(), config.contact_retention);
    let trainer = crate::trainer::start(db.clone(), effects.clone());
    let app = router::build(&config, db, effects, options);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let listener = crate::net::no_delay(listener);
    tracing::info!("listening on http://{addr}");
    let served = crate::shutdown::serve(listener, app).await;
    scheduler.abort();
    trainer.abort();
    served
}

/// Trains the routing models as the server does at night, and prints their accuracy on the
/// time split beside the rule baseline.
async fn train_routing(db: &Db) -> Result<(), String> {
    let s = service::routing::train(db, &service::routing::Routing::default()).await.map_err(|e| e.to_string())?;
    let a = s.accuracy;
    println!("routing models trained on {} closed cases in {} ms", s.cases, s.took_ms);
    println!("time split: trained on the older {}, tested on the newest {}", a.trained_on, a.tested_on);
    println!("{:<26} {:>7} {:>7}", "", "top-1", "top-3");
    for (what, h) in [("category, learned", a.category), ("lead unit, learned", a.lead), ("lead unit, rule baseline", a.rule_lead)] {
        println!("{what:<26} {:>6.1}% {:>6.1}%", h.top1 * 100.0, h.top3 * 100.0);
    }
    Ok(())
}

/// Prints, for each rule, the warnings the current settings would have raised over the days.
async fn replay_risk(db: &Db, rest: &[&str]) -> Result<(), String> {
    use app::domain::clock::parse_day_start;
    let day = |name| flag(rest, name).and_then(parse_day_start).ok_or_else(|| format!("{name} YYYY-MM-DD is required\n{USAGE}"));
    let (from, to) = (day("--from")?, day("--to")? + 24 * 3600 * 1000);
    let settings = service::risk::settings(db).await.map_err(|e| e.to_string())?;
    let r = service::risk::replay(db, settings, from, to).await.map_err(|e| e.to_string())?;
    println!("risk replay: {} cases in {} ms", r.cases, r.elapsed_ms);
    for (rule, n) in r.counts {
        println!("{:<20} {n}", rule.code());
    }
    Ok(())
}

async fn check_migrations(config: &Config) -> Result<(), String> {
    let db = Db::connect(&config.database_url).await.map_err(|e| format!("cannot open the database of DATABASE_URL: {e}"))?;
    let pending = db.pending_migrations().await?;
    if pending.is_empty() {
        println!("the schema is current: no migration would run");
    } else {
        println!("{} migration{} would run:", pending.len(), if pending.len() == 1 { "" } else { "s" });
        for (version, description) in pending {
            println!("  {version:04} {description}");
        }
    }
    Ok(())
}

async fn backup(db: &Db, config: &Config, dest: &str) -> Result<(), String> {
    let m = service::backup::backup(db, &config.files_dir, std::path::Path::new(dest)).await?;
    println!("backup in {dest}: {} cases, {} attachments ({} bytes), schema {}", m.cases, m.attachments, m.attachment_bytes, m.schema);
    if !m.missing.is_empty() {
        println!("{} attachments the register names were already missing from {} and are not in the backup:", m.missing.len(), config.files_dir.display());
        for key in &m.missing {
            println!("  {key}");
        }
    }
    Ok(())
}

async fn restore(config: &Config, src: &str) -> Result<(), String> {
    let (db, m) = service::backup::restore(std::path::Path::new(src), &config.database_url, &config.files_dir).await?;
    println!("restored the backup of {} cases and {} attachments (schema {}), migrated to this release", m.cases, m.attachments, m.schema);
    let report = verify_history(&db).await?;
    println!("{report}");
    Ok(())
}
