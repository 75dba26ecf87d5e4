//! A query that begins with `-` (`ptsearch search '-disease:(…) gene:673'`) is not a flag: before
//! clap reads the command line, an argument that starts with `-`, is not a flag any command
//! defines (nor the value of one) and holds a character of the query language (`:`, `(`, a
//! space, `"`, `|`, `@`) is marked as a value by a leading space, which the query arguments'
//! parser ([`query_text`]) takes off again. A plain `-word` stays for clap, whose error says to
//! write `-- -word`.

use clap::CommandFactory;
use std::collections::BTreeMap;
use std::ffi::OsString;

/// Characters that make a `-…` argument a query rather than a flag.
const QUERY_CHARS: [char; 6] = [':', '(', ' ', '"', '|', '@'];

/// The flags of every command: long names and short letters, each with whether it takes a value.
struct Flags {
    long: BTreeMap<String, bool>,
    short: BTreeMap<char, bool>,
}

fn collect(cmd: &clap::Command, flags: &mut Flags) {
    for arg in cmd.get_arguments() {
        let takes = arg.get_action().takes_values();
        if let Some(l) = arg.get_long() {
            flags.long.insert(l.to_string(), takes);
        }
        if let Some(s) = arg.get_short() {
            flags.short.insert(s, takes);
        }
    }
    for sub in cmd.get_subcommands() {
        collect(sub, flags);
    }
}

fn flags() -> Flags {
    let mut flags = Flags {
        long: BTreeMap::from([("help".to_string(), false), ("version".to_string(), false)]),
        short: BTreeMap::from([('h', false), ('V', false)]),
    };
    collect(&super::Cli::command(), &mut flags);
    flags
}

/// The command line with each leading-`-` query argument marked (see the module).
pub fn queries_apart(args: Vec<OsString>) -> Vec<OsString> {
    let flags = flags();
    let mut out = Vec::with_capacity(args.len());
    let mut value_next = false;
    let mut query_value = false;
    let mut rest_positional = false;
    for (i, arg) in args.into_iter().enumerate() {
        let Some(text) = arg.to_str().filter(|_| i > 0 && !rest_positional) else {
            out.push(arg);
            continue;
        };
        let value = std::mem::take(&mut value_next);
        if value && query_value && text.starts_with('-') && text.contains(QUERY_CHARS) {
            // `relations --query '-disease:x gene:673'`.
            out.push(OsString::from(format!(" {text}")));
            continue;
        }
        if value || !text.starts_with('-') || text == "-" {
            out.push(arg);
            continue;
        }
        if text == "--" {
            rest_positional = true;
            out.push(arg);
            continue;
        }
        let looks_like_query = text.contains(QUERY_CHARS);
        let flag = if let Some(long) = text.strip_prefix("--") {
            let (name, attached) = long
                .split_once('=')
                .map_or((long, false), |(n, _)| (n, true));
            flags.long.get(name).map(|takes| *takes && !attached)
        } else {
            let mut chars = text.chars().skip(1);
            let first = chars.next();
            match first.and_then(|c| flags.short.get(&c)) {
                // `-n5`, `-q`: a short flag unless the rest reads as a query (`-q:x`).
                Some(takes) if *takes || !looks_like_query => {
                    Some(*takes && chars.next().is_none())
                }
                _ => None,
            }
        };
        match flag {
            Some(takes_value) => {
                value_next = takes_value;
                query_value = text == "--query";
                out.push(arg);
            }
            None if looks_like_query => out.push(OsString::from(format!(" {text}"))),
            None => out.push(arg),
        }
    }
    out
}

/// The value parser of query arguments: takes off the mark [`queries_apart`] put on a query
/// that begins with `-`.
pub fn query_text(s: &str) -> Result<String, std::convert::Infallible> {
    Ok(s.strip_prefix(' ').unwrap_or(s).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apart(args: &[&str]) -> Vec<String> {
        let mut all = vec!["ptsearch"];
        all.extend(args);
        queries_apart(all.into_iter().map(OsString::from).collect())
            .into_iter()
            .skip(1)
            .map(|a| a.into_string().unwrap_or_default())
            .collect()
    }

    #[test]
    fn marks_queries_only() {
        assert_eq!(
            apart(&["search", "-disease:(a b) gene:673", "--format", "tsv"]),
            ["search", " -disease:(a b) gene:673", "--format", "tsv"]
        );
        // Flags, their values and everything after `--` stay.
        assert_eq!(
            apart(&["--index", "-x:y", "search", "-n", "5", "-n5", "q"]),
            ["--index", "-x:y", "search", "-n", "5", "-n5", "q"]
        );
        assert_eq!(apart(&["search", "--", "-a:b"]), ["search", "--", "-a:b"]);
        assert_eq!(
            apart(&["search", "--index=a:b", "x"]),
            ["search", "--index=a:b", "x"]
        );
        // A plain negated word is left to clap (its error says `-- -word`).
        assert_eq!(apart(&["search", "-review"]), ["search", "-review"]);
        // An unknown long option holding query characters is a query.
        assert_eq!(apart(&["search", "--x:(y)"]), ["search", " --x:(y)"]);
        assert_eq!(
            apart(&["relations", "x", "--query", "-a:b c"]),
            ["relations", "x", "--query", " -a:b c"]
        );
        assert_eq!(query_text(" -a:b"), Ok("-a:b".to_string()));
    }
}
