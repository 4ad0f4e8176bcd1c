//! The audit trail is append-only, enforced by the database itself.
#[macro_use]
mod common;

use app::domain::audit::AuditEntry;
use app::domain::org::Role;
use common::{PASSWORD, TestApp};

on_both_backends!(audit_trail_refuses_update_and_delete);

async fn audit_trail_refuses_update_and_delete(app: TestApp) {
    app.user("boss", Role::Admin, None).await;
    let admin = app.browser();
    admin.sign_in("boss", PASSWORD).await;
    let trail: Vec<AuditEntry> = admin.ok("admin/audit", &[]).await;
    assert_eq!(trail.first().map(|e| (e.kind.as_str(), e.actor.as_deref())), Some(("signed_in", Some("boss"))), "newest first");
    let rows = app.count("SELECT COUNT(*) FROM audit_events").await;
    assert!(rows >= 2, "user_saved and signed_in are recorded");

    for sql in [
        "UPDATE audit_events SET kind = 'tampered'",
        "UPDATE audit_events SET details = '{}' WHERE id = (SELECT MAX(id) FROM audit_events)",
        "DELETE FROM audit_events",
        "DELETE FROM audit_events WHERE kind = 'signed_in'",
    ] {
        let refused = sqlx::query(sql).execute(&app.db.pool).await.expect_err(sql);
        assert!(refused.to_string().contains("append-only"), "{sql}: {refused}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, rows);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'tampered' OR details = '{}'").await, 0);
}
