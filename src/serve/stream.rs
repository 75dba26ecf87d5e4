//! Streamed answers, the last step of `export`: a blocking task prepares the work (ranks the
//! query, so a bad query is still a JSON 400), then writes documents through a
//! [`DocumentSink`](crate::output::DocumentSink) into a [`ChannelWriter`], whose 64 KiB chunks
//! go through a bounded channel to the response body. Memory stays flat whatever the export's
//! size; a client that goes away closes the channel and stops the task at its next chunk.

use super::error::{ApiError, ApiResult};
use super::limits::busy;
use super::AppState;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::{mpsc, oneshot};

/// Bytes per chunk sent to the client.
const CHUNK: usize = 64 * 1024;
/// Chunks buffered between the writing task and the connection.
const CHANNEL_CHUNKS: usize = 4;

/// An `io::Write` whose bytes become chunks of a response body.
pub struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// A response body fed by a [`ChannelWriter`].
struct ChannelBody {
    rx: mpsc::Receiver<io::Result<Bytes>>,
}

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        self.rx
            .poll_recv(cx)
            .map(|chunk| chunk.map(|r| r.map(Frame::data)))
    }
}

/// The writing half of a stream, returned by the preparation step.
pub type Writer = Box<dyn FnOnce(&mut ChannelWriter) -> io::Result<()> + Send>;

/// Runs `prepare` on the blocking pool (within the request time limit, once an export slot
/// is free); its error is the answer, else the returned writer streams the body, sent with
/// `content_type` and, when given, the `Content-Disposition` value `disposition`
/// ([`super::download::attachment`]).
pub async fn stream<P>(
    state: &AppState,
    content_type: &'static str,
    disposition: Option<String>,
    prepare: P,
) -> ApiResult<Response>
where
    P: FnOnce() -> ApiResult<Writer> + Send + 'static,
{
    let limit = state.limits.request_timeout;
    let permit = tokio::time::timeout(limit, state.exports.clone().acquire_owned())
        .await
        .map_err(|_| busy("no export slot became free"))?
        .map_err(|_| ApiError::internal("the server is shutting down"))?;
    let (tx, rx) = mpsc::channel(CHANNEL_CHUNKS);
    let (ready_tx, ready_rx) = oneshot::channel::<ApiResult<()>>();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let write = match prepare() {
            Ok(w) => w,
            Err(e) => {
                let _ = ready_tx.send(Err(e));
                return;
            }
        };
        if ready_tx.send(Ok(())).is_err() {
            return;
        }
        let mut out = ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        if let Err(e) = write(&mut out).and_then(|()| out.flush()) {
            if e.kind() != io::ErrorKind::BrokenPipe {
                // Ends the chunked body without its last chunk: the client sees a truncated
                // transfer, not a complete-looking file.
                let _ = out.tx.blocking_send(Err(e));
            }
        }
    });
    match tokio::time::timeout(limit, ready_rx).await {
        Err(_) => Err(busy("the export did not start")),
        Ok(Err(_)) => Err(ApiError::internal("the export task failed")),
        Ok(Ok(Err(e))) => Err(e),
        Ok(Ok(Ok(()))) => {
            let mut r = (
                [(header::CONTENT_TYPE, content_type)],
                Body::new(ChannelBody { rx }),
            )
                .into_response();
            if let Some(v) = disposition.and_then(|d| HeaderValue::from_str(&d).ok()) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            Ok(r)
        }
    }
}
