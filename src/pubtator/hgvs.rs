//! HGVS spellings of variants, shared by ingest and query: the HGVS form derived from tmVar's
//! normal form (`p|SUB|V|600|E` → `p.V600E`, `c|SUB|C|677|T` → `c.677C>T`) and one spelling of
//! protein changes (`p.Val600Glu` ≡ `p.V600E`, `*` and `Ter` ≡ `X`), so that every spelling of
//! a variant meets the same index term. Used by [`crate::pubtator::variant`].

/// The three-letter amino acid codes and their one-letter codes (`Ter` is tmVar's `X`).
const AMINO_ACIDS: [(&str, char); 25] = [
    ("ala", 'A'),
    ("arg", 'R'),
    ("asn", 'N'),
    ("asp", 'D'),
    ("cys", 'C'),
    ("gln", 'Q'),
    ("glu", 'E'),
    ("gly", 'G'),
    ("his", 'H'),
    ("ile", 'I'),
    ("leu", 'L'),
    ("lys", 'K'),
    ("met", 'M'),
    ("phe", 'F'),
    ("pro", 'P'),
    ("ser", 'S'),
    ("thr", 'T'),
    ("trp", 'W'),
    ("tyr", 'Y'),
    ("val", 'V'),
    ("ter", 'X'),
    ("sec", 'U'),
    ("pyl", 'O'),
    ("asx", 'B'),
    ("glx", 'Z'),
];

/// HGVS keywords that may follow or sit between amino acids (`p.F508del`, `p.R97Pfs*23`).
const KEYWORDS: [&str; 6] = ["delins", "del", "ins", "dup", "fs", "ext"];

/// True for a value written as HGVS: a sequence prefix `c.`, `p.`, `g.`, `m.`, `n.` or `r.`
/// and something after it.
pub fn is_hgvs(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 2
        && b[1] == b'.'
        && matches!(
            b[0].to_ascii_lowercase(),
            b'c' | b'p' | b'g' | b'm' | b'n' | b'r'
        )
}

/// One spelling of an HGVS value: protein changes with one-letter amino acids (upper case),
/// `X` for a stop (`*`, `Ter`) and lower-case keywords, without the parentheses of a predicted
/// change (`p.(Val600Glu)` → `p.V600E`); other sequence types keep their spelling. A value
/// that is not HGVS is returned trimmed.
pub fn normalize_hgvs(s: &str) -> String {
    let s = s.trim();
    if !is_hgvs(s) || !s[..1].eq_ignore_ascii_case("p") {
        return s.to_string();
    }
    let body: String = s[2..].chars().filter(|c| !matches!(c, '(' | ')')).collect();
    let all_lower = !body.chars().any(|c| c.is_ascii_uppercase());
    let mut out = String::with_capacity(s.len());
    out.push_str("p.");
    let mut rest = body.as_str();
    while let Some(c) = rest.chars().next() {
        if !c.is_ascii_alphabetic() {
            out.push(if c == '*' { 'X' } else { c });
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if let Some(k) = KEYWORDS.iter().find(|k| starts_with_ci(rest, k)) {
            // `fs` followed by a letter that is not a code is still the keyword (`fsX19`).
            out.push_str(k);
            rest = &rest[k.len()..];
            continue;
        }
        if let Some((one, len)) = three_letter(rest, all_lower) {
            out.push(one);
            rest = &rest[len..];
            continue;
        }
        out.push(c.to_ascii_uppercase());
        rest = &rest[1..];
    }
    out
}

/// The one-letter code of a three-letter amino acid at the start of `s`: written `Val`
/// (capital, then lower case), or in any case when the whole value is lower case.
fn three_letter(s: &str, all_lower: bool) -> Option<(char, usize)> {
    let head = s.get(..3)?;
    let b = head.as_bytes();
    let shaped = all_lower
        || (b[0].is_ascii_uppercase() && b[1].is_ascii_lowercase() && b[2].is_ascii_lowercase());
    if !shaped {
        return None;
    }
    AMINO_ACIDS
        .iter()
        .find(|(code, _)| head.eq_ignore_ascii_case(code))
        .map(|(_, one)| (*one, 3))
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// The HGVS form of a tmVar normal form, when it has one: substitutions (`c|SUB|C|677|T` →
/// `c.677C>T`, `p|SUB|V|600|E` → `p.V600E`), deletions (`c|DEL|1521_1523|CTT` →
/// `c.1521_1523delCTT`, `p|DEL|508|F` → `p.F508del`, `p|DEL|487_489|DSF` → `p.D487_F489del`),
/// insertions (`c|INS|217_218|C` → `c.217_218insC`), duplications (`c|DUP|892_895|G|` →
/// `c.892_895dupG`), deletion-insertions (`c|INDEL|…` → `c.…delins…`) and frame shifts
/// (`p|FS|N|102|D|4` → `p.N102DfsX4`, `p|FS|Y|329||` → `p.Y329fs`). Normal forms without a
/// sequence type (`|SUB|C|1|T`) or a position, and alleles, have none.
pub fn hgvs_of_normal_form(nf: &str) -> Option<String> {
    let nf = nf.trim();
    let nf = strip_ci(nf, "tmvar:").unwrap_or(nf);
    let parts: Vec<&str> = nf.split('|').map(str::trim).collect();
    let seq = parts.first()?.to_ascii_lowercase();
    if !matches!(seq.as_str(), "c" | "p" | "g" | "m" | "n" | "r") {
        return None;
    }
    let protein = seq == "p";
    let op = parts.get(1)?.to_ascii_uppercase();
    let field = |i: usize| parts.get(i).copied().unwrap_or("");
    let out = match op.as_str() {
        "SUB" => {
            let (wt, pos, mt) = (field(2), field(3), field(4));
            if wt.is_empty() || pos.is_empty() || mt.is_empty() {
                return None;
            }
            if protein {
                format!("p.{wt}{pos}{mt}")
            } else {
                format!("{seq}.{pos}{wt}>{mt}")
            }
        }
        "DEL" | "INS" | "DUP" | "INDEL" => {
            let (pos, s) = (field(2), field(3));
            if pos.is_empty() {
                return None;
            }
            let word = match op.as_str() {
                "DEL" => "del",
                "INS" => "ins",
                "DUP" => "dup",
                _ => "delins",
            };
            if protein && op == "DEL" {
                protein_deletion(pos, s)?
            } else {
                format!("{seq}.{pos}{word}{s}")
            }
        }
        "FS" if protein => {
            let (wt, pos, mt, stop) = (field(2), field(3), field(4), field(5));
            if wt.is_empty() || pos.is_empty() {
                return None;
            }
            let stop = if stop.is_empty() {
                String::new()
            } else {
                format!("X{stop}")
            };
            format!("p.{wt}{pos}{mt}fs{stop}")
        }
        _ => return None,
    };
    Some(normalize_hgvs(&out))
}

/// The tmVar normal form of an HGVS substitution, the inverse of [`hgvs_of_normal_form`]:
/// `p.V600E` → `p|SUB|V|600|E`, `c.1799T>A` → `c|SUB|T|1799|A`. `None` for any other change
/// and for a form the inverse does not give back exactly.
pub fn normal_form_of_substitution(hgvs: &str) -> Option<String> {
    let h = normalize_hgvs(hgvs);
    if !is_hgvs(&h) {
        return None;
    }
    let (seq, body) = (&h[..1], &h[2..]);
    let nf = if seq == "p" {
        let wt = body.chars().next().filter(char::is_ascii_uppercase)?;
        let mt = body.chars().last().filter(char::is_ascii_uppercase)?;
        let pos = body.get(1..body.len() - 1)?;
        format!("p|SUB|{wt}|{pos}|{mt}")
    } else {
        let (head, mt) = body.split_once('>')?;
        let wt = head.chars().last()?;
        let pos = &head[..head.len() - wt.len_utf8()];
        format!("{seq}|SUB|{wt}|{pos}|{mt}")
    };
    let digits = nf
        .split('|')
        .nth(3)
        .is_some_and(|p| p.bytes().any(|b| b.is_ascii_digit()));
    (digits && hgvs_of_normal_form(&nf).as_deref() == Some(h.as_str())).then_some(nf)
}

/// `p.F508del` from (`508`, `F`); `p.D487_F489del` from (`487_489`, `DSF`).
fn protein_deletion(pos: &str, residues: &str) -> Option<String> {
    let first = residues.chars().next()?;
    match pos.split_once('_') {
        Some((a, b)) => {
            let last = residues.chars().last()?;
            Some(format!("p.{first}{a}_{last}{b}del"))
        }
        None if residues.chars().count() == 1 => Some(format!("p.{first}{pos}del")),
        None => None,
    }
}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    starts_with_ci(s, prefix).then(|| &s[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutions_read_back_into_their_normal_form() {
        for (hgvs, nf) in [
            ("p.V600E", Some("p|SUB|V|600|E")),
            ("p.Val600Glu", Some("p|SUB|V|600|E")),
            ("c.1799T>A", Some("c|SUB|T|1799|A")),
            ("c.-52G>A", Some("c|SUB|G|-52|A")),
            ("p.F508del", None),
            ("c.217_218insC", None),
            ("p.VE", None),
        ] {
            assert_eq!(normal_form_of_substitution(hgvs).as_deref(), nf, "{hgvs}");
        }
    }

    /// The derivation table (also in schema/FIELDS.md).
    #[test]
    fn hgvs_derivations() {
        for (nf, want) in [
            ("p|SUB|V|600|E", Some("p.V600E")),
            ("tmVar:p|SUB|V|600|E", Some("p.V600E")),
            ("c|SUB|C|677|T", Some("c.677C>T")),
            ("g|SUB|G|12|A", Some("g.12G>A")),
            ("c|SUB|G|Ex2+860|C", Some("c.Ex2+860G>C")),
            ("p|SUB|E|123|X", Some("p.E123X")),
            ("c|DEL|1521_1523|CTT", Some("c.1521_1523delCTT")),
            ("c|DEL|-134|A", Some("c.-134delA")),
            ("p|DEL|508|F", Some("p.F508del")),
            ("p|DEL|487_489|DSF", Some("p.D487_F489del")),
            ("c|INS|217_218|C", Some("c.217_218insC")),
            ("p|INS|344_345|AFF", Some("p.344_345insAFF")),
            ("c|DUP|892_895|G|", Some("c.892_895dupG")),
            ("c|INDEL|0141|C", Some("c.0141delinsC")),
            ("p|FS|N|102|D|4", Some("p.N102DfsX4")),
            ("p|FS|I|38||19", Some("p.I38fsX19")),
            ("p|FS|Y|329||", Some("p.Y329fs")),
            ("|SUB|C|1|T", None),
            ("c|DEL||TT", None),
            ("p|Allele|R|620", None),
            ("c|SUB|C||T", None),
        ] {
            assert_eq!(hgvs_of_normal_form(nf).as_deref(), want, "{nf}");
        }
    }

    #[test]
    fn protein_changes_have_one_spelling() {
        for (written, want) in [
            ("p.Val600Glu", "p.V600E"),
            ("p.V600E", "p.V600E"),
            ("p.val600glu", "p.V600E"),
            ("p.v600e", "p.V600E"),
            ("p.(Val600Glu)", "p.V600E"),
            ("p.Arg97ProfsTer23", "p.R97PfsX23"),
            ("p.R97Pfs*23", "p.R97PfsX23"),
            ("p.Glu123Ter", "p.E123X"),
            ("p.E123*", "p.E123X"),
            ("p.Phe508del", "p.F508del"),
            ("p.K23_L24insRSG", "p.K23_L24insRSG"),
            ("c.677C>T", "c.677C>T"),
            ("rs123", "rs123"),
        ] {
            assert_eq!(normalize_hgvs(written), want, "{written}");
        }
    }
}
