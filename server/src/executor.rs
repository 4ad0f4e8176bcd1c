//! The executor Leptos spawns its tasks on: tokio's, with every task a page's render spawns
//! tied to that page. When a page is finished (or dropped), Leptos disposes of its reactive
//! owner at once, while tasks it spawned may still be queued: an isomorphic effect (the
//! language cookie of leptos_i18n, a `<Suspense>` re-checking its children) then runs against
//! disposed signals and a missing context, and panics. So a page ends in steps, before
//! anything of it is disposed: the owners that spawned its tasks are paused (effects do not
//! run in a paused owner), its tasks that have not started yet are dropped and nothing new is
//! spawned for it (pausing reaches an owner's effects through its list of children, which the
//! page's owner has already given up by then: this is the language cookie's effect; and a
//! `<Suspense>` whose read came back would render its children in a task of its own), and
//! polls under way on other workers are waited for. Tasks that have started go on: a database
//! read in flight finishes and gives its connection back as always (dropping the page's tasks
//! half-way left pooled connections stuck for the pool's whole timeout).
use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use leptos::prelude::*;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Installs the executor; call before anything of Leptos runs (route listing included),
/// which would otherwise install plain tokio. Later calls do nothing.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if Executor::init_custom_executor(PageExecutor).is_err() {
            tracing::error!("an executor was installed before ours: page tasks are not tied to their pages");
        }
    });
}

struct PageExecutor;

impl CustomExecutor for PageExecutor {
    fn spawn(&self, fut: PinnedFuture<()>) {
        match (use_context::<PageGate>(), Owner::current()) {
            // A page that has ended starts nothing more: whatever it would run (a `<Suspense>`
            // rendering its children once a read comes back) would meet its disposed owner.
            (Some(gate), Some(_)) if !gate.inner.open.load(Ordering::SeqCst) => drop(fut),
            (Some(gate), Some(spawner)) => {
                gate.inner.spawners.lock().unwrap_or_else(|e| e.into_inner()).push(spawner);
                drop(tokio::spawn(Gated { gate: gate.inner, unstarted: true, fut }));
            }
            _ => drop(tokio::spawn(fut)),
        }
    }

    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        drop(tokio::task::spawn_local(fut));
    }

    fn poll_local(&self) {}
}

/// Opens the gate of the page being rendered; call first thing in its render context.
pub fn open_page_gate() {
    let Some(page) = Owner::current() else { return };
    let inner = Arc::new(GateInner { open: AtomicBool::new(true), polling: AtomicUsize::new(0), spawners: Mutex::new(Vec::new()) });
    // An owner cleans its children, in the order they were made, before its own values: a
    // first child whose only job is to close the gate closes it before anything is disposed.
    let closer = page.child();
    closer.with(|| {
        let inner = Arc::clone(&inner);
        on_cleanup(move || inner.close());
    });
    provide_context(PageGate { inner, _closer: Arc::new(closer) });
}

#[derive(Clone)]
struct PageGate {
    inner: Arc<GateInner>,
    /// Owners hold their children weakly: the page's context keeps this one alive.
    _closer: Arc<Owner>,
}

struct GateInner {
    open: AtomicBool,
    /// Polls of this page's tasks under way, on any worker.
    polling: AtomicUsize,
    /// The owners the page's tasks were spawned in: paused when the page ends. Held, not weakly:
    /// an owner a `<Suspense>` dropped once it had streamed would otherwise be gone by then,
    /// and its effect (which holds its own child owner) would not be paused with it.
    spawners: Mutex<Vec<Owner>>,
}

thread_local! {
    /// The gates whose task this thread is polling right now (a poll may end the page).
    static POLLING: RefCell<Vec<*const GateInner>> = const { RefCell::new(Vec::new()) };
}

/// Longest a closing page waits for its tasks' polls on other workers; a poll never blocks,
/// so this is never reached unless something is badly wrong, and then not waited for ever.
const CLOSE_WAIT: Duration = Duration::from_secs(1);

impl GateInner {
    fn close(&self) {
        self.open.store(false, Ordering::SeqCst);
        let spawners = std::mem::take(&mut *self.spawners.lock().unwrap_or_else(|e| e.into_inner()));
        for owner in &spawners {
            owner.pause();
        }
        // An effect that began its run before the pause finishes it before anything goes.
        let me = self as *const GateInner;
        let here = POLLING.with(|p| p.borrow().iter().filter(|g| **g == me).count());
        let since = Instant::now();
        while self.polling.load(Ordering::SeqCst) > here {
            if since.elapsed() > CLOSE_WAIT {
                tracing::warn!("a page's task was still being polled {CLOSE_WAIT:?} after the page ended");
                return;
            }
            std::thread::yield_now();
        }
    }
}

struct Gated {
    gate: Arc<GateInner>,
    /// Not polled yet: dropped if the page ends first (it holds nothing yet, no connection).
    unstarted: bool,
    fut: PinnedFuture<()>,
}

impl Future for Gated {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Announced before the gate is looked at: the page's end either waits for this poll
        // or has closed the gate before it, which this poll then sees.
        let _polling = Polling::start(Arc::clone(&self.gate));
        if std::mem::take(&mut self.unstarted) && !self.gate.open.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        self.fut.as_mut().poll(cx)
    }
}

/// One poll under way; ends when dropped, even if the poll panics.
struct Polling(Arc<GateInner>);

impl Polling {
    fn start(gate: Arc<GateInner>) -> Self {
        gate.polling.fetch_add(1, Ordering::SeqCst);
        POLLING.with(|p| p.borrow_mut().push(Arc::as_ptr(&gate)));
        Polling(gate)
    }
}

impl Drop for Polling {
    fn drop(&mut self) {
        let me = Arc::as_ptr(&self.0);
        POLLING.with(|p| {
            let mut p = p.borrow_mut();
            if let Some(i) = p.iter().rposition(|g| *g == me) {
                p.remove(i);
            }
        });
        self.0.polling.fetch_sub(1, Ordering::SeqCst);
    }
}
