//! Arbitrary bytes as a PDF-derived text file: decoding, the grid, layout
//! recognition and extraction must never panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use torikumi::mapping::Mappings;

fn mappings() -> &'static Mappings {
    static M: OnceLock<Mappings> = OnceLock::new();
    M.get_or_init(|| Mappings::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../mappings")).expect("mappings"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = torikumi::source::text::decode(data) else { return };
    for comma in [false, true] {
        let grid = torikumi::source::text::to_grid("fuzz", &decoded.text, comma);
        let layout = torikumi::layout::recognise(&grid, mappings()).or(mappings().layouts.first());
        let _ = torikumi::layout::extract_sheet(&grid, layout, &mappings().vocabulary, "fuzz.txt");
    }
});
