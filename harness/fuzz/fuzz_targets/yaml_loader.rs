#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wirecheck_fuzz::yaml_loader(data));
