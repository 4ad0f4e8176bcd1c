//! Pages are rendered while they stream. When the reader leaves half-way (a reload, a tap
//! on a link, a phone losing its network), hyper drops the response body and with it the
//! page's reactive owner; a `<Suspense>` whose data arrived at that moment still re-runs its
//! children on another worker, where they find their owner gone and no context ("I18n
//! context is missing", "already disposed": panics). So every page is rendered to its end
//! in a task of its own and the response only reads from it: a reader who leaves stops the
//! forwarding, not the render.
use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;
use std::time::Duration;

/// How long a page may go on rendering once nobody reads it (our renders wait on database
/// reads, which take milliseconds); after that the render is dropped after all.
const UNREAD_RENDER_LIMIT: Duration = Duration::from_secs(30);

pub async fn render_to_the_end(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let html = resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    if !html {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    // A few chunks of slack, so a slow reader holds the render back instead of filling memory.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        let mut chunks = body.into_data_stream();
        let mut reader = Some(tx);
        let mut unread_since = None;
        loop {
            let chunk = match unread_since {
                None => chunks.next().await,
                Some(since) => match tokio::time::timeout_at(since + UNREAD_RENDER_LIMIT, chunks.next()).await {
                    Ok(chunk) => chunk,
                    Err(_) => {
                        tracing::warn!("a page nobody reads any more was still rendering after {UNREAD_RENDER_LIMIT:?}; dropped");
                        break;
                    }
                },
            };
            let Some(chunk) = chunk else { break };
            if let Some(tx) = &reader
                && tx.send(chunk).await.is_err()
            {
                reader = None;
                unread_since = Some(tokio::time::Instant::now());
            }
        }
    });
    // `poll_recv` may be called again after the end (the compression layer does): it keeps
    // answering None.
    let mut rx = rx;
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Response::from_parts(parts, Body::from_stream(stream))
}
