//! Character normalization shared by the analyzer and the name dictionary: lower case,
//! Greek letters spelled out, Latin accents folded; and [`name_key`], the dictionary's
//! punctuation-free lookup key of a mention.

pub(super) const fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '/' | '_' | '\'' | '+' | '>' | ':' | '‐' | '‑' | '–'
    )
}

pub(super) fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "alpha",
        'β' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ε' => "epsilon",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' => "theta",
        'ι' => "iota",
        'κ' => "kappa",
        'λ' => "lambda",
        'μ' | 'µ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'ο' => "omicron",
        'π' => "pi",
        'ρ' => "rho",
        'σ' | 'ς' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' => "phi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        _ => return None,
    })
}

pub(super) fn fold_latin(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        _ => c,
    }
}

/// Appends the normalized form of one word part to `out`.
pub(super) fn normalize_into(part: &str, out: &mut String) {
    if part.is_ascii() {
        push_ascii_lower(part, out);
        return;
    }
    normalize_chars(part, out);
}

/// Appends an ASCII `part` lower-cased: one copy, lower-cased in place.
pub(super) fn push_ascii_lower(part: &str, out: &mut String) {
    let from = out.len();
    out.push_str(part);
    out[from..].make_ascii_lowercase();
}

/// The char-by-char form of [`normalize_into`], for parts with non-ASCII chars.
pub(super) fn normalize_chars(part: &str, out: &mut String) {
    for c in part.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for l in c.to_lowercase() {
            match greek(l) {
                Some(name) => out.push_str(name),
                None => out.push(fold_latin(l)),
            }
        }
    }
}

/// Normalized lookup key of a mention for the name dictionary: letters and digits only,
/// lower-cased, Greek spelled out (`PD-1`, `PD1` and `pd 1` share the key `pd1`).
pub fn name_key(mention: &str) -> String {
    let mut out = String::with_capacity(mention.len());
    if mention.is_ascii() {
        out.extend(
            mention
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return out;
    }
    for c in mention.chars().filter(|c| c.is_alphanumeric()) {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let mut buf = [0u8; 4];
        normalize_into(c.encode_utf8(&mut buf), &mut out);
    }
    out
}
