//! Fuzz target: the binary decoder of stored records (`pubtator::codec`) over arbitrary bytes.
//!
//! Properties checked (a violation aborts, which libFuzzer records as a crash):
//! * `decode` never panics, whatever the bytes (a corrupt docstore must give an error);
//! * whatever it accepts re-encodes to a record that decodes to the same document.
//!
//! Run: `cargo +nightly fuzz run record_decoder -- -max_total_time=600`

#![no_main]

use libfuzzer_sys::fuzz_target;
use ptsearch::pubtator::codec::{decode, encode};

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = decode(data) {
        assert_eq!(decode(&encode(&doc)).as_ref(), Ok(&doc), "re-encoding changed the record");
    }
});
