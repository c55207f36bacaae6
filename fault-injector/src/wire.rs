//! The downstream side of the wire: reading HTTP/1.1 requests from the center and
//! writing answers to it, by hand, so that every fault controls exactly which bytes
//! the center gets.

use bytes::{Bytes, BytesMut};
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Most headers a request may have.
const MAX_HEADERS: usize = 100;

/// A request read in full from the center.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: Method,
    /// Path and query, as sent.
    pub(crate) target: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The center asked to close after this exchange.
    pub(crate) close: bool,
}

/// Why no request could be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The center closed (or reset) the connection, between requests or mid-request.
    Gone,
    /// The request cannot be served: answer with this status and text, then close.
    Refused(StatusCode, String),
}

/// Reads the next request from `stream`, `buf` holding bytes already read (pipelined
/// requests stay in it).
pub(crate) async fn read_request(
    stream: &mut TcpStream,
    buf: &mut BytesMut,
    max_head: usize,
    max_body: usize,
) -> Result<Request, ReadError> {
    let (head_len, mut request, length) = loop {
        if let Some(parsed) = parse_head(buf)? {
            break parsed;
        }
        if buf.len() >= max_head {
            return Err(refused(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                format!("the request head is larger than {max_head} bytes"),
            ));
        }
        fill(stream, buf).await?;
    };
    if length > max_body {
        return Err(refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {max_body} bytes"),
        ));
    }
    while buf.len() < head_len + length {
        fill(stream, buf).await?;
    }
    let _ = buf.split_to(head_len);
    request.body = buf.split_to(length).freeze();
    Ok(request)
}

async fn fill(stream: &mut TcpStream, buf: &mut BytesMut) -> Result<(), ReadError> {
    buf.reserve(8 * 1024);
    match stream.read_buf(buf).await {
        Ok(0) | Err(_) => Err(ReadError::Gone),
        Ok(_) => Ok(()),
    }
}

fn refused(status: StatusCode, text: String) -> ReadError {
    ReadError::Refused(status, text)
}

/// Parses a complete request head: its length, the request (empty body) and the body
/// length; `None` while incomplete.
fn parse_head(buf: &[u8]) -> Result<Option<(usize, Request, usize)>, ReadError> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    let head_len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => {
            return Err(refused(
                StatusCode::BAD_REQUEST,
                format!("unreadable request: {e}"),
            ));
        }
    };
    let bad = |what: &str| refused(StatusCode::BAD_REQUEST, what.to_owned());
    if parsed.version != Some(1) {
        return Err(refused(
            StatusCode::HTTP_VERSION_NOT_SUPPORTED,
            "only HTTP/1.1 is served".to_owned(),
        ));
    }
    let method = Method::from_bytes(parsed.method.unwrap_or("").as_bytes())
        .map_err(|_| bad("unusable method"))?;
    let target = parsed.path.unwrap_or("").to_owned();
    if !target.starts_with('/') {
        return Err(bad("only origin-form request targets are served"));
    }
    let mut headers = HeaderMap::new();
    for h in parsed.headers.iter() {
        let name = HeaderName::from_bytes(h.name.as_bytes()).map_err(|_| bad("bad header name"))?;
        let value = HeaderValue::from_bytes(h.value).map_err(|_| bad("bad header value"))?;
        headers.append(name, value);
    }
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return Err(refused(
            StatusCode::NOT_IMPLEMENTED,
            "transfer-encoding is not served; send content-length".to_owned(),
        ));
    }
    let mut lengths = headers.get_all(header::CONTENT_LENGTH).iter();
    let length = match (lengths.next(), lengths.next()) {
        (None, _) => 0,
        (Some(v), None) => v
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .ok_or_else(|| bad("unusable content-length"))?,
        (Some(_), Some(_)) => return Err(bad("more than one content-length")),
    };
    let close = has_token(&headers, "close");
    let request = Request {
        method,
        target,
        headers,
        body: Bytes::new(),
        close,
    };
    Ok(Some((head_len, request, length)))
}

/// Whether the `connection` header lists `token`.
pub(crate) fn has_token(headers: &HeaderMap, token: &str) -> bool {
    connection_tokens(headers).any(|t| t.eq_ignore_ascii_case(token))
}

/// The tokens of every `connection` header.
pub(crate) fn connection_tokens(headers: &HeaderMap) -> impl Iterator<Item = &str> {
    headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Whether `name` is a hop-by-hop header (never forwarded), including those the
/// `connection` header names.
pub(crate) fn is_hop_by_hop(name: &HeaderName, headers: &HeaderMap) -> bool {
    const HOP: [&str; 8] = [
        "connection",
        "keep-alive",
        "proxy-connection",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
    ];
    HOP.contains(&name.as_str())
        || name == header::UPGRADE
        || connection_tokens(headers).any(|t| t.eq_ignore_ascii_case(name.as_str()))
}

/// The bytes of an answer head: status line, end-to-end headers, `content-length`
/// (where the status allows a body), `connection: close` when closing.
pub(crate) fn answer_head(
    status: StatusCode,
    headers: &HeaderMap,
    body_len: usize,
    head_request: bool,
    close: bool,
) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    let bodiless = status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;
    for (name, value) in headers {
        let keep_length = head_request && name == header::CONTENT_LENGTH;
        if is_hop_by_hop(name, headers) || (name == header::CONTENT_LENGTH && !keep_length) {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if !bodiless && !head_request {
        out.extend_from_slice(format!("content-length: {body_len}\r\n").as_bytes());
    }
    if close {
        out.extend_from_slice(b"connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// A short plain-text answer made by the injector itself.
pub(crate) fn text_answer(text: &str) -> (HeaderMap, Bytes) {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    (headers, Bytes::from(format!("{text}\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Option<(usize, Request, usize)>, ReadError> {
        parse_head(raw.as_bytes())
    }

    #[test]
    fn heads_parse_with_length_and_close() {
        let (len, req, body) = parse(
            "POST /v1/x/issuances?a=1 HTTP/1.1\r\nhost: h\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhello",
        )
        .unwrap()
        .unwrap();
        assert_eq!((len, body), (84, 5));
        assert_eq!(req.method, Method::POST);
        assert_eq!(req.target, "/v1/x/issuances?a=1");
        assert!(req.close);
        assert!(parse("GET / HTTP/1.1\r\nhost: h\r\n").unwrap().is_none());
    }

    #[test]
    fn unusable_heads_are_refused_with_a_status() {
        let status = |raw: &str| match parse(raw) {
            Err(ReadError::Refused(s, _)) => s,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            status("GET / HTTP/1.0\r\n\r\n"),
            StatusCode::HTTP_VERSION_NOT_SUPPORTED
        );
        assert_eq!(
            status("POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n"),
            StatusCode::NOT_IMPLEMENTED
        );
        assert_eq!(
            status("POST / HTTP/1.1\r\ncontent-length: x\r\n\r\n"),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status("GET http://a/ HTTP/1.1\r\n\r\n"),
            StatusCode::BAD_REQUEST
        );
    }

    #[test]
    fn answer_heads_drop_hop_by_hop_headers_and_set_the_length() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONNECTION, HeaderValue::from_static("x-hop"));
        headers.insert("x-hop", HeaderValue::from_static("1"));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("99"));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let head = answer_head(StatusCode::CREATED, &headers, 12, false, true);
        assert_eq!(
            String::from_utf8(head).unwrap(),
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 12\r\nconnection: close\r\n\r\n"
        );
    }
}
