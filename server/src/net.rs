//! The listening socket.
use axum::serve::{ListenerExt, TapIo};
use tokio::net::{TcpListener, TcpStream};

pub type Listener = TapIo<TcpListener, fn(&mut TcpStream)>;

/// Every accepted connection sends small writes at once (`TCP_NODELAY`): a pushed notice on
/// an open event stream is one small write, and Nagle's algorithm would hold it back until
/// the browser acknowledged the previous one — with delayed acknowledgements, up to 40 ms.
pub fn no_delay(listener: TcpListener) -> Listener {
    fn tap(stream: &mut TcpStream) {
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
    }
    listener.tap_io(tap as fn(&mut TcpStream))
}
