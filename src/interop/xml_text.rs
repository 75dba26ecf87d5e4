//! What the two XML readers (BioC XML, PubMed XML) share: the quick-xml event loop with its
//! error mapping and line numbers ([`for_each_event`]), and character data decoding
//! ([`unescape`]: lenient UTF-8, XML line-end normalization, the five predefined entities and
//! character references; other entity references are kept as written, since no DTD is read).

use super::{InteropError, LineCounter};
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::io::BufRead;

/// One XML event a reader acts on.
pub(crate) enum XmlEvent<'e, 'b> {
    /// An element opens; `true` for an empty element (`<x/>`), which no [`XmlEvent::End`]
    /// follows.
    Start(&'e BytesStart<'b>, bool),
    /// An element closes.
    End,
    /// Character data, undecoded; `true` for CDATA.
    Text(&'e [u8], bool),
}

/// Reads `r` to its end, calling `on` with each event and the 1-based line where it ends.
/// An I/O error is returned as such, malformed XML as [`InteropError::Xml`] with its line;
/// everything before it has been delivered. Returns the line after the last event.
pub(crate) fn for_each_event<R: BufRead>(
    r: R,
    mut on: impl FnMut(XmlEvent<'_, '_>, u64),
) -> Result<u64, InteropError> {
    let (counter, lines) = LineCounter::new(r);
    let mut reader = quick_xml::Reader::from_reader(counter);
    reader.config_mut().trim_text(false);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(quick_xml::Error::Io(e)) => {
                return Err(InteropError::Io(std::io::Error::new(
                    e.kind(),
                    e.to_string(),
                )))
            }
            Err(e) => {
                return Err(InteropError::Xml {
                    line: lines.get() + 1,
                    message: e.to_string(),
                })
            }
        };
        let line = lines.get() + 1;
        match event {
            Event::Start(e) => on(XmlEvent::Start(&e, false), line),
            Event::Empty(e) => on(XmlEvent::Start(&e, true), line),
            Event::End(_) => on(XmlEvent::End, line),
            Event::Text(t) => on(XmlEvent::Text(&t, false), line),
            Event::CData(t) => on(XmlEvent::Text(&t, true), line),
            Event::Eof => return Ok(lines.get() + 1),
            _ => {}
        }
    }
}

/// Decodes XML character data: UTF-8 (lossy; the flag says whether bytes were replaced),
/// line ends normalized, and (outside CDATA) entity and character references resolved; an
/// unknown entity is kept as written.
pub(crate) fn unescape(raw: &[u8], cdata: bool) -> (String, bool) {
    let decoded = String::from_utf8_lossy(raw);
    let lossy = matches!(decoded, Cow::Owned(_));
    let s: Cow<'_, str> = if decoded.contains('\r') {
        Cow::Owned(decoded.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        decoded
    };
    if cdata || !s.contains('&') {
        return (s.into_owned(), lossy);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest: &str = &s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let resolved = tail
            .get(1..tail.find(';').filter(|&i| i <= 33).unwrap_or(0))
            .and_then(|name| Some((name.len() + 2, entity(name)?)));
        match resolved {
            Some((used, c)) => {
                out.push(c);
                rest = &tail[used..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    (out, lossy)
}

/// The character an entity or character reference (without `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_char_refs_cdata_and_bad_bytes() {
        assert_eq!(
            unescape(b"a &lt;b&gt; &#945;&#x3B2; &nbsp; & x", false).0,
            "a <b> αβ &nbsp; & x"
        );
        assert_eq!(unescape(b"<![x]]>\r\n", true).0, "<![x]]>\n");
        assert!(unescape(b"\xff", false).1);
        assert_eq!(
            unescape(b"&#0; &#xFFFFFFFF; &;&#;&#x;", false).0,
            "&#0; &#xFFFFFFFF; &;&#;&#x;"
        );
    }
}
