//! Deterministic data sets for the permessage-deflate cases.
//!
//! Autobahn 12.x and 13.x echo consecutive slices of five files we cannot ship: data1.json
//! (194,056 B, text), lena512.bmp (263,222 B, binary), pg2229.txt, Goethe's Faust (222,218 B),
//! data1.html (263,647 B, text) and a PDF (1,042,328 B, binary). These stand-ins are generated
//! from a fixed-seed PRNG with integer arithmetic only (no files, no floats, the same bytes on
//! every platform), have exactly the originals' sizes, and compress about as well.
//!
//! Measured with flate2 (zlib-rs, raw deflate, 32 KiB window), original size / compressed size,
//! against our estimate for the originals:
//!
//! | set    | size        | level 6 | level 1 | original (estimated, level 6) |
//! |--------|-------------|---------|---------|-------------------------------|
//! | json   | 194,056 B   | 10.6    | 6.1     | ~10x                          |
//! | bitmap | 263,222 B   | 1.14    | 1.00    | ~1.1–1.3x                     |
//! | text   | 222,218 B   | 2.85    | 1.75    | ~2.7x                         |
//! | html   | 263,647 B   | 4.9     | 3.2     | ~4–5x                         |
//! | pdf    | 1,042,328 B | 1.18    | 1.10    | ~1.1–1.5x                     |
//!
//! Level 6 is zlib's default and what servers typically use. zlib-rs's level 1 is its "quick"
//! strategy, much weaker than zlib's level 1; it is what our own [`super::Compressor`] uses,
//! because our compression only has to be cheap.
//!
//! lena512.bmp is an 8-bit grayscale BMP (14 + 40 header bytes, a 256-entry palette, 512 × 512
//! pixels: exactly 263,222 bytes), so the bitmap stand-in is one too rather than 24-bit, which
//! would triple its size. The text sets (json, text, html) are valid UTF-8 with German
//! characters (ä ö ü ß …); `next_slice` keeps their messages valid too.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::OnceLock;

use thiserror::Error;

/// One of the data sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CorpusKind {
    /// A 512 × 512 8-bit grayscale bitmap (lena512.bmp, Autobahn 12.2).
    Bitmap,
    /// HTML markup (data1.html, Autobahn 12.4).
    Html,
    /// JSON records (data1.json, Autobahn 12.1 and 13.x).
    Json,
    /// A PDF-like file: text objects and binary streams (Autobahn 12.5).
    Pdf,
    /// German verse drama (pg2229.txt, Goethe's Faust, Autobahn 12.3).
    Text,
}

/// A corpus name that is not one of ours.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("unknown corpus {0:?} (expected json, bitmap, text, html or pdf)")]
pub struct UnknownCorpus(pub String);

impl CorpusKind {
    /// Every data set, in Autobahn's 12.1–12.5 order.
    pub const ALL: [CorpusKind; 5] = [
        CorpusKind::Json,
        CorpusKind::Bitmap,
        CorpusKind::Text,
        CorpusKind::Html,
        CorpusKind::Pdf,
    ];

    /// The name used in scenario files: `json`, `bitmap`, `text`, `html`, `pdf`.
    pub fn name(self) -> &'static str {
        match self {
            CorpusKind::Bitmap => "bitmap",
            CorpusKind::Html => "html",
            CorpusKind::Json => "json",
            CorpusKind::Pdf => "pdf",
            CorpusKind::Text => "text",
        }
    }

    /// The size of the file it stands in for, which is its own size.
    pub fn size(self) -> usize {
        match self {
            CorpusKind::Bitmap => 263_222,
            CorpusKind::Html => 263_647,
            CorpusKind::Json => 194_056,
            CorpusKind::Pdf => 1_042_328,
            CorpusKind::Text => 222_218,
        }
    }

    /// Whether the data is valid UTF-8 (so it can be sliced into text messages).
    pub fn is_utf8(self) -> bool {
        matches!(self, CorpusKind::Html | CorpusKind::Json | CorpusKind::Text)
    }
}

impl FromStr for CorpusKind {
    type Err = UnknownCorpus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CorpusKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| UnknownCorpus(s.to_string()))
    }
}

/// The data set, generated on first use and kept for the life of the process.
pub fn corpus(kind: CorpusKind) -> &'static [u8] {
    static SETS: [OnceLock<Vec<u8>>; 5] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let (slot, make): (usize, fn() -> Vec<u8>) = match kind {
        CorpusKind::Json => (0, json),
        CorpusKind::Bitmap => (1, bitmap),
        CorpusKind::Text => (2, text),
        CorpusKind::Html => (3, html),
        CorpusKind::Pdf => (4, pdf),
    };
    SETS[slot].get_or_init(make)
}

/// The next message of `len` bytes from `data`, starting at `*offset` and wrapping around at
/// the end; advances `*offset`. When `text` is true the cut points are moved forward to UTF-8
/// code point boundaries, so every message is valid UTF-8 (Autobahn slices text by code point)
/// and may be up to 3 bytes longer than `len`.
pub fn next_slice(data: &[u8], offset: &mut usize, len: usize, text: bool) -> Vec<u8> {
    if data.is_empty() {
        return Vec::new();
    }
    let n = data.len();
    let is_cut = |i: usize| !text || (data[i % n] & 0xC0) != 0x80;
    let mut start = *offset % n;
    // A start inside a code point moves to the next one; at most 3 steps in valid UTF-8.
    for _ in 0..4 {
        if is_cut(start) {
            break;
        }
        start = (start + 1) % n;
    }
    let mut end = start + len;
    if len > 0 {
        for _ in 0..4 {
            if is_cut(end) {
                break;
            }
            end += 1;
        }
    }
    let mut out = Vec::with_capacity(end - start);
    let mut at = start;
    while at < end {
        let from = at % n;
        let take = (n - from).min(end - at);
        out.extend_from_slice(&data[from..from + take]);
        at += take;
    }
    *offset = end % n;
    out
}

/// SplitMix64: tiny, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// Skewed towards 0: index `n * u^3`, roughly Zipf-like for word choice.
    fn skewed(&mut self, n: usize) -> usize {
        let u = u128::from(self.next() >> 32);
        let cube = (u * u * u) >> 64;
        ((cube * n as u128) >> 32) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Pads or cuts generated text to exactly `size` bytes, keeping it valid UTF-8: a cut goes
/// back to a code point boundary and the gap is filled with ASCII from `filler`.
fn fit_text(mut s: String, size: usize, filler: char) -> Vec<u8> {
    if s.len() > size {
        let mut cut = size;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    while s.len() < size {
        s.push(if s.len() + 1 == size { '\n' } else { filler });
    }
    s.into_bytes()
}

const GERMAN_COMMON: &[&str] = &[
    "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für",
    "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "er", "hat", "daß",
    "sie", "nach", "bei", "um", "noch", "wie", "über", "so", "war", "nur", "oder", "aber", "vor",
    "bis", "mehr", "durch", "man", "mir", "mich", "ich", "du", "wir", "ihr", "was", "wohl", "doch",
    "schon", "hier", "dort", "nun", "ach", "o", "ja", "nein", "kein", "mein", "dein", "sein",
    "wer", "wenn", "weil", "denn", "dann", "da", "ganz", "gar", "viel",
];

const STEMS: &[&str] = &[
    "geist", "herz", "welt", "nacht", "licht", "tag", "zeit", "wort", "kraft", "grund", "freund",
    "blut", "seel", "himmel", "erd", "wass", "feu", "traum", "schön", "höh", "grüß", "süß", "fluß",
    "müh", "bös", "lieb", "mach", "sag", "sprech", "geh", "steh", "seh", "hör", "wiss", "glaub",
    "denk", "such", "find", "halt", "trag", "schwer", "leicht", "tief", "hoch", "alt", "jung",
    "wahr", "frei", "still", "wild", "fromm", "gött", "teuf", "lust", "schmerz", "glück", "leid",
    "tod", "leb", "wein", "brot", "haus", "tür", "stub", "buch", "schrift", "kunst", "mensch",
    "weib", "mann", "kind", "mutter", "vater", "straß", "wald", "berg", "feld", "quell", "stern",
    "sonn", "mond", "wolk", "wind", "sturm", "rosen", "gretch", "hexe", "mädch", "stärk", "kläg",
    "näh", "wähl", "gefäß", "schül", "doktor", "bürg", "bau", "soldat", "engel", "chor", "stimm",
];

const PREFIXES: &[&str] = &[
    "", "", "", "", "ge", "be", "ver", "ent", "er", "zer", "un", "an",
];

const SUFFIXES: &[&str] = &[
    "", "e", "en", "er", "es", "t", "st", "et", "ung", "heit", "keit", "lich", "ig", "isch",
    "chen", "lein", "ten", "nis", "sam", "bar",
];

/// A German-like vocabulary and how words are drawn from it.
struct Lexicon {
    words: Vec<String>,
    /// Share of words drawn uniformly rather than skewed towards the frequent ones: the knob
    /// that sets how well the prose compresses.
    uniform_percent: usize,
}

impl Lexicon {
    fn new(rng: &mut Rng, size: usize, uniform_percent: usize) -> Self {
        Lexicon {
            words: vocabulary(rng, size),
            uniform_percent,
        }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let n = self.words.len();
        let i = if rng.chance(self.uniform_percent) {
            rng.below(n)
        } else {
            rng.skewed(n)
        };
        &self.words[i]
    }
}

/// Share of vocabulary words made of two stems.
const COMPOUND_PERCENT: usize = 35;

/// Common function words first (the most frequent), then prefix + stem + suffix combinations.
fn vocabulary(rng: &mut Rng, size: usize) -> Vec<String> {
    let mut words: Vec<String> = GERMAN_COMMON.iter().map(|w| w.to_string()).collect();
    let mut seen: HashSet<String> = words.iter().cloned().collect();
    while words.len() < size {
        // Compounds, as German builds them, make the vocabulary as varied as real prose.
        let compound = if rng.chance(COMPOUND_PERCENT) {
            rng.pick(STEMS)
        } else {
            ""
        };
        let word = format!(
            "{}{}{}{}",
            rng.pick(PREFIXES),
            compound,
            rng.pick(STEMS),
            rng.pick(SUFFIXES)
        );
        if seen.insert(word.clone()) {
            words.push(word);
        }
    }
    words
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A sentence-like line of `min` to `min + spread - 1` words from the vocabulary.
fn prose_line(rng: &mut Rng, vocab: &Lexicon, min: usize, spread: usize) -> String {
    let words = min + rng.below(spread);
    let mut line = String::new();
    for i in 0..words {
        let word = vocab.word(rng);
        if i > 0 {
            line.push(' ');
        }
        if i == 0 || rng.chance(18) {
            line.push_str(&capitalize(word));
        } else {
            line.push_str(word);
        }
        if i + 1 < words && rng.chance(8) {
            line.push(',');
        }
    }
    line.push(
        *[',', '.', '!', '?', ';', ':', '.']
            .get(rng.below(7))
            .unwrap_or(&'.'),
    );
    line
}

/// German verse drama in the layout of a Project Gutenberg text.
fn text() -> Vec<u8> {
    let size = CorpusKind::Text.size();
    let mut rng = Rng(0x6F65_7468_6546_6175);
    let vocab = Lexicon::new(&mut rng, TEXT_VOCABULARY, TEXT_UNIFORM_PERCENT);
    let speakers = [
        "FAUST",
        "MEPHISTOPHELES",
        "WAGNER",
        "MARGARETE",
        "MARTHE",
        "CHOR DER ENGEL",
        "SCHÜLER",
        "HEXE",
        "VALENTIN",
        "LIESCHEN",
        "DER HERR",
        "ERDGEIST",
    ];
    let mut s = String::with_capacity(size + 1024);
    s.push_str("Faust: Der Tragödie erster Teil\n\nvon Johann Wolfgang von Goethe\n\n\n");
    let mut scene = 1;
    while s.len() < size {
        if rng.chance(4) {
            let _ = write!(s, "\n\n{}. SZENE\n\n", scene);
            scene += 1;
            let _ = writeln!(s, "({})\n", prose_line(&mut rng, &vocab, 6, 10));
        }
        let _ = writeln!(s, "{}:", rng.pick(&speakers));
        for _ in 0..1 + rng.below(8) {
            let _ = writeln!(s, "{}", prose_line(&mut rng, &vocab, 4, 5));
        }
        s.push('\n');
    }
    fit_text(s, size, ' ')
}

/// Vocabulary size and uniform share of the Faust stand-in, tuned for a ratio near 2.7.
const TEXT_VOCABULARY: usize = 8000;
const TEXT_UNIFORM_PERCENT: usize = 20;

/// Pretty-printed JSON records with keys, numbers and strings.
fn json() -> Vec<u8> {
    let size = CorpusKind::Json.size();
    let mut rng = Rng(0x4A53_4F4E_6461_7461);
    let first = [
        "Jürgen", "Anna", "Björn", "Käthe", "Lukas", "Sophie", "Jörg", "Marie", "Günther", "Lena",
        "Max", "Paul",
    ];
    let last = [
        "Müller",
        "Schmidt",
        "Schröder",
        "Weiß",
        "Groß",
        "Köhler",
        "Bäcker",
        "Fuchs",
        "Krüger",
        "Wagner",
    ];
    let cities = [
        "München",
        "Köln",
        "Düsseldorf",
        "Nürnberg",
        "Lübeck",
        "Berlin",
    ];
    let tags = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
    ];
    let mut s = String::with_capacity(size + 1024);
    s.push_str("[\n");
    let mut id = 0;
    loop {
        let mut rec = String::new();
        let name = format!("{} {}", rng.pick(&first), rng.pick(&last));
        let _ = write!(
            rec,
            "  {{\n    \"id\": {id},\n    \"name\": \"{name}\",\n    \"active\": {},\n    \
             \"age\": {},\n    \"city\": \"{}\",\n    \"score\": {}.{},\n    \"tags\": [",
            rng.chance(50),
            18 + rng.below(60),
            rng.pick(&cities),
            rng.below(100),
            rng.below(10),
        );
        for t in 0..1 + rng.below(3) {
            if t > 0 {
                rec.push_str(", ");
            }
            let _ = write!(rec, "\"{}\"", rng.pick(&tags));
        }
        let _ = write!(
            rec,
            "],\n    \"address\": {{\n      \"street\": \"Hauptstraße {}\",\n      \
             \"zip\": \"{}\",\n      \"country\": \"Deutschland\"\n    }},\n    \
             \"phone\": \"+49 {} {:07}\",\n    \"registered\": \"20{:02}-{:02}-{:02}\",\n    \
             \"greeting\": \"Grüß Gott, {name}! Sie haben {} ungelesene Nachrichten.\"\n  }}",
            1 + rng.below(40),
            10_000 + rng.below(400) * 100,
            [30, 40, 69, 89, 221, 911][rng.below(6)],
            rng.below(10_000_000),
            10 + rng.below(15),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(10),
        );
        // Room for ",\n" now and "\n]\n" at the end.
        if s.len() + rec.len() + 6 > size {
            break;
        }
        if id > 0 {
            s.push_str(",\n");
        }
        s.push_str(&rec);
        id += 1;
    }
    s.push_str("\n]");
    fit_text(s, size, ' ')
}

/// HTML markup: navigation, tables and paragraphs of German-like prose.
fn html() -> Vec<u8> {
    let size = CorpusKind::Html.size();
    let mut rng = Rng(0x4854_4D4C_7061_6765);
    let vocab = Lexicon::new(&mut rng, 1500, 0);
    let sections = [
        "Startseite",
        "Über uns",
        "Produkte",
        "Kontakt",
        "Impressum",
        "Größen",
    ];
    let mut s = String::with_capacity(size + 4096);
    s.push_str(
        "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Übersicht</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n\
         </head>\n<body>\n<div id=\"page\">\n<ul class=\"nav\">\n",
    );
    for (i, sec) in sections.iter().enumerate() {
        let _ = writeln!(
            s,
            "  <li class=\"nav-item\"><a class=\"nav-link\" href=\"/seite/{i}.html\">{sec}</a></li>"
        );
    }
    s.push_str("</ul>\n");
    let mut n = 0;
    while s.len() < size {
        n += 1;
        let _ = writeln!(
            s,
            "<div class=\"article\" id=\"artikel-{n}\">\n<h2 class=\"title\">{}</h2>",
            prose_line(&mut rng, &vocab, 3, 4)
        );
        for _ in 0..1 + rng.below(3) {
            s.push_str("<p class=\"text\">");
            for _ in 0..1 + rng.below(3) {
                s.push_str(&prose_line(&mut rng, &vocab, 5, 10));
                s.push(' ');
            }
            s.push_str("</p>\n");
        }
        if rng.chance(50) {
            s.push_str(
                "<table class=\"data\">\n<tr><th class=\"col\">Name</th><th class=\"col\">Preis\
                 </th><th class=\"col\">Menge</th></tr>\n",
            );
            for _ in 0..2 + rng.below(6) {
                let _ = writeln!(
                    s,
                    "<tr><td class=\"cell\">{}</td><td class=\"cell num\">{},{:02} €</td>\
                     <td class=\"cell num\">{}</td></tr>",
                    capitalize(vocab.word(&mut rng)),
                    rng.below(200),
                    rng.below(100),
                    rng.below(50)
                );
            }
            s.push_str("</table>\n");
        }
        let _ = writeln!(
            s,
            "<div class=\"footer\"><a href=\"/seite/{}.html\" class=\"more\">Weiterlesen »</a>\
             </div>\n</div>",
            rng.below(sections.len())
        );
    }
    // Close the document within the size: cut before the closing tags, then pad.
    let closing = "</div>\n</body>\n</html>\n";
    let mut body = fit_text(s, size - closing.len(), ' ');
    body.extend_from_slice(closing.as_bytes());
    body
}

/// An 8-bit grayscale BMP: smooth shapes from integer value noise, plus pixel noise.
fn bitmap() -> Vec<u8> {
    const W: usize = 512;
    const PALETTE: usize = 256 * 4;
    const OFFSET: usize = 14 + 40 + PALETTE;
    let size = CorpusKind::Bitmap.size();
    let mut out = Vec::with_capacity(size);
    // BITMAPFILEHEADER.
    out.extend_from_slice(b"BM");
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(OFFSET as u32).to_le_bytes());
    // BITMAPINFOHEADER: 512 × 512, 1 plane, 8 bits, no compression, 256 colours.
    for v in [40u32, W as u32, W as u32] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&8u16.to_le_bytes());
    for v in [0u32, (W * W) as u32, 2835, 2835, 256, 256] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for g in 0..=255u8 {
        out.extend_from_slice(&[g, g, g, 0]);
    }
    let mut rng = Rng(0x4C45_4E41_3531_3262);
    let coarse = Grid::new(&mut rng, 9);
    let medium = Grid::new(&mut rng, 33);
    let fine = Grid::new(&mut rng, 129);
    for y in 0..W {
        for x in 0..W {
            let base = coarse.sample(x, y) * 5 + medium.sample(x, y) * 2 + fine.sample(x, y);
            let noise = rng.below(2 * BITMAP_NOISE + 1) as i64 - BITMAP_NOISE as i64;
            let v = (base as i64 / 8 + noise).clamp(0, 255);
            out.push(v as u8);
        }
    }
    debug_assert_eq!(out.len(), size);
    out
}

/// Amplitude of the per-pixel noise: what makes the bitmap compress as poorly as a photo.
const BITMAP_NOISE: usize = 7;

/// Random values on a `cells` × `cells` lattice over the 512 × 512 image, bilinearly
/// interpolated in integers.
struct Grid {
    cells: usize,
    values: Vec<usize>,
}

impl Grid {
    fn new(rng: &mut Rng, cells: usize) -> Self {
        let values = (0..(cells + 1) * (cells + 1))
            .map(|_| rng.below(256))
            .collect();
        Grid { cells, values }
    }

    fn sample(&self, x: usize, y: usize) -> usize {
        let (fx, fy) = (x * self.cells, y * self.cells);
        let (cx, cy) = (fx / 512, fy / 512);
        let (tx, ty) = (fx % 512, fy % 512);
        let at = |i: usize, j: usize| self.values[j * (self.cells + 1) + i];
        let top = at(cx, cy) * (512 - tx) + at(cx + 1, cy) * tx;
        let bottom = at(cx, cy + 1) * (512 - tx) + at(cx + 1, cy + 1) * tx;
        (top * (512 - ty) + bottom * ty) / (512 * 512)
    }
}

/// A PDF-like file: page and font objects, text content, and binary streams that look
/// Flate-compressed (random bytes), with a cross-reference table and trailer.
fn pdf() -> Vec<u8> {
    let size = CorpusKind::Pdf.size();
    let mut rng = Rng(0x2550_4446_2D31_2E34);
    let vocab = Lexicon::new(&mut rng, 800, 0);
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    let trailer_room = 24 * 1024;
    let mut obj = 1;
    while out.len() + trailer_room < size {
        offsets.push(out.len());
        let mut head = String::new();
        if rng.chance(PDF_TEXT_PERCENT) {
            let mut content = String::from("BT\n/F1 11 Tf\n");
            for _ in 0..20 + rng.below(40) {
                let _ = writeln!(
                    content,
                    "{} {} Td\n({}) Tj",
                    50 + rng.below(10),
                    700 - rng.below(600),
                    prose_line(&mut rng, &vocab, 4, 8)
                );
            }
            content.push_str("ET");
            let _ = write!(
                head,
                "{obj} 0 obj\n<< /Length {} >>\nstream\n{content}\nendstream\nendobj\n",
                content.len()
            );
            out.extend_from_slice(head.as_bytes());
        } else {
            let len = 1000 + rng.below(8000);
            let _ = write!(
                head,
                "{obj} 0 obj\n<< /Type /XObject /Subtype /Image /Width {} /Height {} \
                 /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode \
                 /Length {len} >>\nstream\n",
                64 + rng.below(512),
                64 + rng.below(512)
            );
            out.extend_from_slice(head.as_bytes());
            out.extend((0..len).map(|_| rng.next() as u8));
            out.extend_from_slice(b"\nendstream\nendobj\n");
        }
        obj += 1;
    }
    let xref_at = out.len();
    let mut xref = format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1);
    for off in &offsets {
        let _ = writeln!(xref, "{off:010} 00000 n ");
    }
    let trailer = format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
        offsets.len() + 1
    );
    // Fill the gap before the xref with a comment of binary-looking bytes, like the unused
    // space some writers leave.
    let gap = size.saturating_sub(out.len() + xref.len() + trailer.len());
    out.push(b'%');
    out.extend((1..gap.saturating_sub(1)).map(|_| (rng.next() as u8) | 0x80));
    out.push(b'\n');
    out.extend_from_slice(xref.as_bytes());
    out.extend_from_slice(trailer.as_bytes());
    out.truncate(size);
    out
}

/// Share of PDF objects that are text content rather than binary streams.
const PDF_TEXT_PERCENT: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_names_and_utf8() {
        for kind in CorpusKind::ALL {
            let data = corpus(kind);
            assert_eq!(data.len(), kind.size(), "{kind:?}");
            assert_eq!(kind.name().parse::<CorpusKind>(), Ok(kind));
            assert_eq!(
                std::str::from_utf8(data).is_ok(),
                kind.is_utf8(),
                "{kind:?}"
            );
        }
        assert!("lena".parse::<CorpusKind>().is_err());
        assert_eq!(&corpus(CorpusKind::Bitmap)[..2], b"BM");
        assert!(corpus(CorpusKind::Pdf).starts_with(b"%PDF-1.4"));
        assert!(corpus(CorpusKind::Pdf).ends_with(b"%%EOF\n"));
        assert!(corpus(CorpusKind::Html).ends_with(b"</html>\n"));
        let json = std::str::from_utf8(corpus(CorpusKind::Json)).unwrap();
        assert!(json.starts_with("[\n  {") && json.trim_end().ends_with("}\n]"));
        for s in ["ä", "ö", "ü", "ß"] {
            assert!(std::str::from_utf8(corpus(CorpusKind::Text))
                .unwrap()
                .contains(s));
        }
    }

    #[test]
    fn deterministic() {
        let again = json();
        assert_eq!(again, corpus(CorpusKind::Json));
        assert_eq!(
            crate::wire::ws::handshake::hex(&crate::wire::ws::handshake::sha1(&again))[..8].len(),
            8
        );
    }

    #[test]
    fn slices_wrap_and_respect_code_points() {
        let data = "aä€😀b".as_bytes(); // 1 + 2 + 3 + 4 + 1 = 11 bytes
        let mut offset = 0;
        assert_eq!(next_slice(data, &mut offset, 2, true), "aä".as_bytes());
        assert_eq!(offset, 3);
        assert_eq!(next_slice(data, &mut offset, 1, true), "€".as_bytes());
        assert_eq!(next_slice(data, &mut offset, 5, true), "😀b".as_bytes());
        assert_eq!(offset, 0);
        let mut offset = 2; // inside "ä": moves to "€"; the end moves from inside "€" to "😀"
        let m = next_slice(data, &mut offset, 12, true);
        assert_eq!(m, [&data[3..], &data[..6]].concat());
        assert_eq!(offset, 6);
        let mut offset = 9;
        assert_eq!(next_slice(data, &mut offset, 25, false).len(), 25);
        assert_eq!(offset, (9 + 25) % 11);
        let big = corpus(CorpusKind::Text);
        let mut offset = 0;
        for len in [16, 64, 256, 1024, 4096, 131_072, 300_000] {
            let m = next_slice(big, &mut offset, len, true);
            assert!(m.len() >= len && m.len() <= len + 3);
            assert!(std::str::from_utf8(&m).is_ok());
        }
    }

    fn ratio(data: &[u8], level: u32) -> f64 {
        let mut c = flate2::Compress::new(flate2::Compression::new(level), false);
        let mut out = Vec::with_capacity(data.len() + 1024);
        c.compress_vec(data, &mut out, flate2::FlushCompress::Finish)
            .unwrap();
        data.len() as f64 / out.len() as f64
    }

    /// The figures in the module doc; the bounds say what "about as compressible" means.
    #[test]
    fn compression_ratios() {
        let bounds = [
            (CorpusKind::Json, 8.0, 13.0),
            (CorpusKind::Bitmap, 1.05, 1.35),
            (CorpusKind::Text, 2.4, 3.1),
            (CorpusKind::Html, 3.8, 5.5),
            (CorpusKind::Pdf, 1.1, 1.5),
        ];
        for (kind, lo, hi) in bounds {
            let r6 = ratio(corpus(kind), 6);
            let r1 = ratio(corpus(kind), 1);
            eprintln!("{:6} level 6: {r6:.2}  level 1: {r1:.2}", kind.name());
            assert!(
                r6 >= lo && r6 <= hi,
                "{kind:?} ratio {r6:.2} outside {lo}..{hi}"
            );
        }
    }
}
