//! The text of an uploaded sales document: a PDF (its text layer, read by `pdf-extract`), Markdown or plain text.
//! Anything else, a PDF that cannot be parsed and a PDF without text (a scan) are refused with a 4xx that says so.

use crate::error::ApiError;

/// The largest document `POST /api/v1/playbook/generate` reads.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A PDF: its text layer is read.
    Pdf,
    /// Markdown: `#` headings cut it into sections.
    Markdown,
    /// Plain text.
    Text,
}

/// The 413 of a document over [`MAX_DOCUMENT_BYTES`].
pub fn too_large() -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "the document is larger than the {} MB limit of this endpoint",
        MAX_DOCUMENT_BYTES / (1024 * 1024)
    ))
}

fn unsupported(what: &str) -> ApiError {
    ApiError::UnsupportedMediaType(format!(
        "unsupported document ({what}): upload a PDF, Markdown (.md) or plain-text (.txt) file"
    ))
}

/// What `bytes` are, from their content first (a PDF starts with `%PDF-`), then the file name and content type.
///
/// # Errors
/// 415 for any other type, or text that is not UTF-8.
pub fn kind(bytes: &[u8], file_name: Option<&str>, content_type: Option<&str>) -> Result<Kind, ApiError> {
    if bytes.starts_with(b"%PDF-") {
        return Ok(Kind::Pdf);
    }
    let name = file_name.unwrap_or_default().to_ascii_lowercase();
    let mime = content_type.unwrap_or_default().to_ascii_lowercase();
    if name.ends_with(".pdf") || mime == "application/pdf" {
        return Err(ApiError::Unprocessable(
            "the file is not a valid PDF (no `%PDF-` header): it may be corrupt".into(),
        ));
    }
    let kind = if name.ends_with(".md") || name.ends_with(".markdown") || mime.starts_with("text/markdown") {
        Kind::Markdown
    } else if name.ends_with(".txt") || name.ends_with(".text") || mime.starts_with("text/plain") {
        Kind::Text
    } else if name.is_empty() && (mime.is_empty() || mime == "application/octet-stream") {
        // No name, no type: text if it reads as text.
        Kind::Text
    } else {
        return Err(unsupported(if mime.is_empty() { &name } else { &mime }));
    };
    if std::str::from_utf8(bytes).is_err() || bytes.contains(&0) {
        return Err(unsupported("binary content, not UTF-8 text"));
    }
    Ok(kind)
}

/// The text of a document of `kind`, trimmed.
///
/// # Errors
/// 422 for a PDF that cannot be parsed or has no text layer, or an empty document.
pub async fn text(bytes: Vec<u8>, kind: Kind) -> Result<String, ApiError> {
    let text = match kind {
        Kind::Pdf => pdf_text(bytes).await?,
        Kind::Markdown | Kind::Text => String::from_utf8(bytes).map_err(|_| unsupported("not UTF-8 text"))?,
    };
    let text = text.replace("\r\n", "\n").trim().to_owned();
    if text.is_empty() {
        return Err(match kind {
            Kind::Pdf => ApiError::Unprocessable(
                "the PDF has no text layer (a scanned document?): run OCR on it or upload its text".into(),
            ),
            _ => ApiError::Unprocessable("the document is empty".into()),
        });
    }
    Ok(text)
}

/// A PDF's text layer, parsed off the async runtime. `pdf-extract` panics on some malformed files: a panic is a
/// corrupt file too, never a crashed request.
async fn pdf_text(bytes: Vec<u8>) -> Result<String, ApiError> {
    let parsed =
        tokio::task::spawn_blocking(move || std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&bytes)))
            .await
            .map_err(|e| ApiError::Internal(format!("PDF reader task: {e}")))?;
    match parsed {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(ApiError::Unprocessable(format!("the PDF could not be read (corrupt or encrypted?): {e}"))),
        Err(_) => Err(ApiError::Unprocessable("the PDF could not be read: it is corrupt".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_content_then_name_and_type() {
        assert_eq!(kind(b"%PDF-1.4 ...", Some("x.bin"), None).unwrap(), Kind::Pdf);
        assert_eq!(kind(b"# Pricing", Some("deck.md"), None).unwrap(), Kind::Markdown);
        assert_eq!(kind(b"Pricing", None, Some("text/plain; charset=utf-8")).unwrap(), Kind::Text);
        assert!(matches!(kind(b"PK\x03\x04", Some("deck.docx"), None), Err(ApiError::UnsupportedMediaType(_))));
        assert!(matches!(
            kind(b"\x89PNG\0", Some("scan.png"), Some("image/png")),
            Err(ApiError::UnsupportedMediaType(_))
        ));
        assert!(matches!(kind(b"garbage", Some("deck.pdf"), None), Err(ApiError::Unprocessable(_))));
        assert!(matches!(kind(b"a\0b", Some("notes.txt"), None), Err(ApiError::UnsupportedMediaType(_))));
    }
}
