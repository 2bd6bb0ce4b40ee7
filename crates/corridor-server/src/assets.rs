//! The map page: every file under `crates/corridor-server/web/`, compiled
//! into the binary, served at `/` (`index.html`) and at its path under
//! `web/` (`/app.js` is `web/app.js`, `/vendor/x.css` is
//! `web/vendor/x.css`), with its content type, an ETag from its hash
//! (`If-None-Match` gets 304) and `Cache-Control: no-cache` (browsers
//! revalidate, so a new binary's page is seen at once). Anything else is a
//! JSON 404; a path with `..`, a backslash or an encoded character never
//! reaches the file table.

use crate::api_error::ApiError;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::Embed)]
#[folder = "web/"]
struct Web;

/// Every route the router does not know: a file of the page on GET and
/// HEAD, else 404 (405 for another method on a page file).
pub async fn fallback(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    let file = file_name(path).and_then(|name| Web::get(&name).map(|f| (name, f)));
    match (file, method == Method::GET || method == Method::HEAD) {
        (Some((name, file)), true) => serve(&name, &file, &headers),
        (Some(_), false) => {
            let mut res = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("{method} is not allowed on {path} (the Allow header lists the methods that are)"),
            )
            .into_response();
            res.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET,HEAD"));
            res
        }
        (None, _) => {
            ApiError::new(StatusCode::NOT_FOUND, format!("no such path: {path}")).into_response()
        }
    }
}

/// The file of `web/` a request path names (a folder's `index.html`), or
/// `None` for a path that could leave the folder or is not plain.
fn file_name(path: &str) -> Option<String> {
    let rel = path.strip_prefix('/')?;
    let plain = |seg: &str| {
        !seg.is_empty()
            && seg != "."
            && seg != ".."
            && seg
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    let (dir, leaf) = match rel.rsplit_once('/') {
        Some((d, l)) => (Some(d), l),
        None => (None, rel),
    };
    if let Some(d) = dir
        && !d.split('/').all(plain)
    {
        return None;
    }
    let leaf = if leaf.is_empty() { "index.html" } else { leaf };
    if !plain(leaf) {
        return None;
    }
    Some(match dir {
        Some(d) => format!("{d}/{leaf}"),
        None => leaf.to_string(),
    })
}

/// Content types of what a web page holds; others by file extension.
fn content_type(name: &str, guessed: &str) -> String {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "svg" => "image/svg+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        "pbf" => "application/x-protobuf",
        _ => guessed,
    }
    .to_string()
}

fn serve(name: &str, file: &rust_embed::EmbeddedFile, headers: &HeaderMap) -> Response {
    let hash: String = file.metadata.sha256_hash()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let etag = format!("\"{hash}\"");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        file.data.to_vec().into_response()
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type(name, file.metadata.mimetype())) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_name_files() {
        assert_eq!(file_name("/").as_deref(), Some("index.html"));
        assert_eq!(file_name("/app.js").as_deref(), Some("app.js"));
        assert_eq!(
            file_name("/vendor/maplibre-gl.mjs").as_deref(),
            Some("vendor/maplibre-gl.mjs")
        );
        assert_eq!(file_name("/vendor/").as_deref(), Some("vendor/index.html"));
        for bad in [
            "/../Cargo.toml",
            "/..%2FCargo.toml",
            "/vendor/../../src/lib.rs",
            "/a//b",
            "/.",
            "/x\\y",
            "/%2e%2e/%2e%2e/etc/passwd",
            "relative",
            "/a b",
        ] {
            assert_eq!(file_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_page_is_compiled_in() {
        let f = Web::get("index.html").expect("web/index.html");
        assert!(!f.data.is_empty());
        assert_eq!(
            content_type("index.html", f.metadata.mimetype()),
            "text/html; charset=utf-8"
        );
    }
}
