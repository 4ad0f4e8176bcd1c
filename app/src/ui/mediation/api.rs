//! Server functions of mediation: staff who may see a dispute case read and write its
//! record under `cases/` (a township's mediator on a phone too); the rate under `center/`.
use crate::domain::mediation::{Mediation, RateReport};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// The record (none before it is opened) and whether the caller may write it.
#[server(endpoint = "cases/mediation/get")]
pub async fn fetch_mediation(case_id: i64) -> Result<(Option<Mediation>, bool), AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    crate::service::mediation::get(&db()?, &case_actor(&user), case_id).await
}

/// One step of the record: `step` is open, session, agree or refer (the agreement comes
/// with the photo of the signed paper, so the form is multipart).
#[server(input = MultipartFormData, endpoint = "cases/mediation/act")]
pub async fn act_on_mediation(data: MultipartData) -> Result<(), AppError> {
    use crate::domain::clock::parse_local_minute;
    use crate::domain::mediation::MediationError;
    use crate::server_ctx::{actor, case_actor, db, effects, require};
    use crate::service::mediation::Step;
    let user = require(crate::domain::org::Role::ALL).await?;
    let mut parts = crate::ui::forms::read_form(data).await?;
    let case_id: i64 = parts.get("case_id").trim().parse().map_err(|_| AppError::NotFound)?;
    let step = match parts.get("step") {
        "open" => Step::Open {
            parties: parts.all("party_name").map(String::from).zip(parts.all("party_phone").map(String::from)).collect(),
            mediator: parts.get("mediator").into(),
            mediator_org: parts.get("mediator_org").into(),
        },
        "session" => Step::Session {
            at_ms: parse_local_minute(parts.get("at")).ok_or(MediationError::BadDate)?,
            place: parts.get("place").into(),
            outcome: parts.get("outcome").parse()?,
            minutes: parts.get("minutes").into(),
        },
        "agree" => Step::Agree { text: parts.get("agreement").into(), photo: parts.files.pop() },
        "refer" => Step::Refer { to: parts.get("to").parse()? },
        other => return Err(MediationError::UnknownCode(other.into()).into()),
    };
    crate::service::mediation::record(&db()?, &effects()?, &actor(&user).await, &case_actor(&user), case_id, step).await.map(|_| ())
}

/// The first-time resolution rate of the local days `[from, to]` ("" for this year so far).
#[server(endpoint = "center/mediation/rate")]
pub async fn fetch_rate(from: String, to: String) -> Result<RateReport, AppError> {
    use crate::domain::clock::{parse_day_start, period_starts};
    use crate::domain::risk::RiskError;
    use crate::server_ctx::{case_actor, db, require};
    let user = require(crate::domain::access::CENTER_ROLES).await?;
    let now = crate::service::now_ms();
    let from = if from.is_empty() { period_starts(now).year } else { parse_day_start(&from).ok_or(RiskError::BadPeriod)? };
    let to = if to.is_empty() { now + 1 } else { parse_day_start(&to).ok_or(RiskError::BadPeriod)? + 24 * 3600 * 1000 };
    crate::service::mediation::report(&db()?, &case_actor(&user), from, to).await
}
