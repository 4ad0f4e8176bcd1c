//! Who may call what. Every page and server function path is listed here; the server's
//! guard consults this table before any handler runs, and a test fails when a route of
//! the app is missing from it.
use super::org::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in staff member.
    Staff,
    /// Only the listed roles.
    Roles(&'static [Role]),
}

// Every list of roles the rules use lives here, so who may do what reads in one place.

/// Everyone at the center's desks and wall screen, administrators included.
pub const CENTER_ROLES: &[Role] = &[Role::Admin, Role::Operator, Role::Commander, Role::Supervisor, Role::Leader];
pub const ADMIN: &[Role] = &[Role::Admin];
/// The center's staff who handle cases and suggestions (administrators keep the
/// organisation, they do not handle residents' matters).
pub const CENTER_STAFF: &[Role] = &[Role::Operator, Role::Commander, Role::Supervisor, Role::Leader];
/// Who registers cases: the center's staff at the desk, unit staff from the scene.
pub const REGISTER_CASES: &[Role] = &[Role::Operator, Role::Commander, Role::Supervisor, Role::Leader, Role::UnitStaff];
/// A department's, township's, village's or grid's own staff.
pub const UNIT_STAFF: &[Role] = &[Role::UnitStaff];
/// The center's desk: operators register, route, verify and follow up; the commander may too.
pub const DESK: &[Role] = &[Role::Operator, Role::Commander];
/// Extensions are a supervision decision (督办), so not the desk that routed the case.
pub const DECIDE_EXTENSION: &[Role] = &[Role::Supervisor, Role::Commander, Role::Leader];
pub const REOPEN: &[Role] = &[Role::Operator, Role::Commander, Role::Supervisor];
/// Who may launch a palm command: the center's desk and leaders (a township's leader on the
/// phone, in the worked example of 耿山村).
pub const LAUNCH: &[Role] = &[Role::Operator, Role::Commander, Role::Leader];
/// Who may take a command over when the commander is absent, besides the commander.
pub const TAKE_OVER: &[Role] = &[Role::Commander, Role::Leader];
/// Who may be named commander or deputy.
pub const MAY_COMMAND: &[Role] = &[Role::Commander, Role::Leader, Role::Operator];
/// Who supervises cases (督办): the supervision office (督查室) and the center's leaders.
pub const SUPERVISE: &[Role] = &[Role::Supervisor, Role::Leader];
/// Who plans the duty roster and approves swaps: the center's leaders and its administrator.
pub const PLAN_DUTY: &[Role] = &[Role::Admin, Role::Leader];
/// Mark a case as an emergency (or change its level and reporting unit).
pub const DECLARE_EMERGENCY: &[Role] = &[Role::Operator, Role::Commander, Role::Leader];
/// Check the reports (the leader on duty's 审核) and set their deadlines.
pub const CHECK_EMERGENCY: &[Role] = &[Role::Leader];
pub const SET_EMERGENCY_DEADLINES: &[Role] = &[Role::Admin, Role::Leader];
/// Who reviews residents' suggestions: the center's staff.
pub const REVIEW_SUGGESTIONS: &[Role] = CENTER_STAFF;

/// `/*` at the end matches that path and everything below it; otherwise the path must match exactly.
pub const RULES: &[(&str, Access)] = &[
    ("/", Access::Public),
    ("/signin", Access::Public),
    ("/lang/*", Access::Public),
    ("/healthz", Access::Public),
    // For the load balancer; says only whether this instance may take traffic.
    ("/readyz", Access::Public),
    // Open to the operators' network only (`METRICS_FROM`), checked by the handler: a
    // Prometheus server scrapes without signing in.
    ("/metrics", Access::Public),
    ("/pkg/*", Access::Public),
    ("/icons/*", Access::Public),
    ("/favicon.ico", Access::Public),
    ("/favicon.svg", Access::Public),
    ("/manifest.webmanifest", Access::Public),
    // The field pages' offline worker (code only): the browser fetches it again to update it.
    ("/field-sw.js", Access::Public),
    ("/api/auth/*", Access::Public),
    // Residents: report a problem, follow it with its code and secret, rate the result.
    ("/report", Access::Public),
    ("/track", Access::Public),
    // The livelihood call: the form (GET, and POST without JavaScript), the public list with
    // support, following a suggestion by code + secret. Their server functions are under
    // /api/public/. Rate limits and the honeypot are checked by the handlers.
    ("/suggest", Access::Public),
    ("/suggest/*", Access::Public),
    ("/api/public/*", Access::Public),
    // Other systems (12345 platform): each call carries an API token, checked by the handler.
    ("/api/v1/*", Access::Public),
    // Open311 GeoReport v2: public reads; a post carries an api_key, checked by the handler.
    ("/open311/v2/*", Access::Public),
    // Case pages and calls for any staff; which cases each may see is checked per case.
    ("/api/cases/*", Access::Staff),
    ("/files/*", Access::Staff),
    // The live feed of notices (Server-Sent Events); each sees only what concerns their unit.
    ("/events", Access::Staff),
    ("/center", Access::Roles(CENTER_ROLES)),
    ("/center/*", Access::Roles(CENTER_ROLES)),
    ("/center/admin/*", Access::Roles(ADMIN)),
    ("/api/admin/*", Access::Roles(ADMIN)),
    ("/api/center/*", Access::Roles(CENTER_ROLES)),
    ("/center/cases/export.xlsx", Access::Roles(CENTER_ROLES)),
    ("/center/cases/export.csv", Access::Roles(CENTER_ROLES)),
    ("/center/duty/export.xlsx", Access::Roles(CENTER_ROLES)),
    ("/center/hazards/export.xlsx", Access::Roles(CENTER_ROLES)),
    // Calls and their review: pages and /api/center/ functions for the center roles (each
    // review step is further limited to operator, commander, supervisor and leader; creating
    // and editing calls, under /api/admin/, to admins). The export too.
    ("/center/campaigns/*", Access::Roles(CENTER_ROLES)),
    ("/center/suggestions/*", Access::Roles(CENTER_ROLES)),
    ("/api/field/*", Access::Staff),
    ("/field", Access::Staff),
    ("/field/*", Access::Staff),
    // Every signed-in person changes their own password here (first of all when someone
    // else chose it, see `open_before_password_change`).
    ("/account/password", Access::Staff),
    ("/api/account/*", Access::Staff),
];

/// The page a person whose password someone else chose is sent to, before anything else.
pub const CHANGE_PASSWORD_PAGE: &str = "/account/password";

/// What such a person may still reach: the change itself, signing out, the language switch
/// and the files a page needs. Everything else sends them to the change (pages) or is
/// refused (server functions).
const OPEN_BEFORE_PASSWORD_CHANGE: &[&str] = &[
    "/account/password",
    "/api/account/*",
    "/api/auth/*",
    "/lang/*",
    "/healthz",
    "/pkg/*",
    "/icons/*",
    "/favicon.ico",
    "/favicon.svg",
    "/manifest.webmanifest",
];

pub fn open_before_password_change(path: &str) -> bool {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    OPEN_BEFORE_PASSWORD_CHANGE.iter().any(|p| matches(p, path))
}

fn matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some(prefix) => path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/')),
        None => pattern == path,
    }
}

/// The rule for a request path: the most specific matching pattern wins.
pub fn access_for(path: &str) -> Option<Access> {
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    RULES.iter().filter(|(p, _)| matches(p, path)).max_by_key(|(p, _)| p.len()).map(|(_, a)| *a)
}

/// What the guard does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Nobody is signed in and the path needs someone: sign in first.
    SignIn,
    Forbidden,
    /// The path is in no rule: refused as if it did not exist, whoever asks.
    NotFound,
}

/// Deny by default: a path passes only if a rule lists it and allows the caller.
pub fn verdict(path: &str, role: Option<Role>) -> Verdict {
    match access_for(path) {
        None => Verdict::NotFound,
        Some(a) if allows(a, role) => Verdict::Pass,
        Some(_) if role.is_none() => Verdict::SignIn,
        Some(_) => Verdict::Forbidden,
    }
}

/// Whether a caller with this role (None = not signed in) may pass.
pub fn allows(access: Access, role: Option<Role>) -> bool {
    match (access, role) {
        (Access::Public, _) => true,
        (_, None) => false,
        (Access::Staff, Some(_)) => true,
        (Access::Roles(roles), Some(r)) => roles.contains(&r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_pages_are_admin_only() {
        let a = access_for("/center/admin/users").unwrap();
        assert!(allows(a, Some(Role::Admin)));
        assert!(!allows(a, Some(Role::Operator)));
        assert!(!allows(a, Some(Role::UnitStaff)));
        assert!(!allows(a, None));
    }

    #[test]
    fn unit_staff_reach_the_field_not_the_center() {
        assert!(allows(access_for("/field").unwrap(), Some(Role::UnitStaff)));
        assert!(!allows(access_for("/center").unwrap(), Some(Role::UnitStaff)));
        assert!(!allows(access_for("/field").unwrap(), None));
    }

    #[test]
    fn prefixes_stop_at_segment_boundaries() {
        assert_eq!(access_for("/centerfold"), None);
        assert_eq!(access_for("/center/"), Some(Access::Roles(CENTER_ROLES)));
        assert_eq!(access_for("/api/admin/units/save"), Some(Access::Roles(ADMIN)));
        assert_eq!(access_for("/nowhere"), None);
    }

    #[test]
    fn before_the_password_change_only_the_change_and_signing_out_are_open() {
        for open in ["/account/password", "/api/account/password", "/api/auth/signout", "/pkg/shezhi.css", "/lang/en"] {
            assert!(open_before_password_change(open), "{open}");
            assert!(access_for(open).is_some(), "{open} is routed");
        }
        for closed in ["/", "/center", "/field", "/api/cases/list", "/center/admin/users", "/account/passwordx", "/report"] {
            assert!(!open_before_password_change(closed), "{closed}");
        }
    }

    #[test]
    fn a_path_no_rule_lists_is_refused_to_everyone() {
        for role in [None, Some(Role::Admin), Some(Role::Operator), Some(Role::UnitStaff)] {
            assert_eq!(verdict("/nowhere", role), Verdict::NotFound);
            assert_eq!(verdict("/centerfold/x", role), Verdict::NotFound);
        }
        assert_eq!(verdict("/", None), Verdict::Pass);
        assert_eq!(verdict("/center", None), Verdict::SignIn);
        assert_eq!(verdict("/center", Some(Role::UnitStaff)), Verdict::Forbidden);
        assert_eq!(verdict("/center", Some(Role::Operator)), Verdict::Pass);
    }
}

/// Where to go after signing in: the requested local page, else the role's home.
/// Only same-site paths are followed, never `//host` or `http…`, so the link can't be abused.
pub fn after_sign_in(next: Option<&str>, role: Role) -> String {
    let home = if role.is_center() { "/center" } else { "/field" };
    match next {
        Some(n) if same_site_path(n).is_some() => match access_for(n.split('?').next().unwrap_or(n)) {
            Some(a) if allows(a, Some(role)) => n.to_string(),
            _ => home.to_string(),
        },
        _ => home.to_string(),
    }
}

/// `next` if it is a path on this site. Browsers read `//host`, `/\\host` and a path with a
/// tab or newline in it as another site, so those are not.
pub fn same_site_path(next: &str) -> Option<&str> {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.chars().any(char::is_control);
    local.then_some(next)
}

/// Percent-encodes a path for use inside a query value.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod next_tests {
    use super::*;

    #[test]
    fn sign_in_follows_only_local_pages_the_role_may_open() {
        assert_eq!(after_sign_in(Some("/center/admin/users"), Role::Admin), "/center/admin/users");
        assert_eq!(after_sign_in(Some("/center/admin/users"), Role::UnitStaff), "/field");
        assert_eq!(after_sign_in(Some("//evil.example"), Role::Admin), "/center");
        assert_eq!(after_sign_in(Some("https://evil.example"), Role::Operator), "/center");
        assert_eq!(after_sign_in(None, Role::UnitStaff), "/field");
    }

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert_eq!(same_site_path("/suggest?x=1"), Some("/suggest?x=1"));
        for off_site in ["//evil.example", "/\\evil.example", "\\evil.example", "https://evil.example", "/\t/evil.example", "/\n/evil", ""] {
            assert_eq!(same_site_path(off_site), None, "{off_site:?}");
        }
    }
}
