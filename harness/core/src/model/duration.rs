//! Durations in scenario files and on the command line: `250ms`, `5s`, `1.5s`, `2m`.

use std::time::Duration;

/// Longest duration a scenario may ask for; a typo like `5000s` should not stall a run.
const MAX: Duration = Duration::from_secs(3600);

/// Parses a duration with a unit (`ms`, `s`, `m`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (write 250ms, 5s or 2m)"))?;
    let secs = match unit.trim() {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        "" => return Err(format!("`{s}` needs a unit: ms, s or m")),
        other => return Err(format!("unknown duration unit `{other}` (use ms, s or m)")),
    };
    // Compare before converting: `Duration::from_secs_f64` panics on values it cannot hold
    // (`1e30s` is a valid-looking number whose seconds overflow u64), and a scenario file must
    // never crash the loader.
    if !secs.is_finite() || secs > MAX.as_secs_f64() {
        return Err(format!("`{s}` is longer than the 1 hour limit"));
    }
    Ok(Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("5h").is_err());
        assert!(parse_duration("99m").is_err());
        // Too large for a Duration: an error, not a panic.
        assert!(parse_duration("100000000000000000000000000000s").is_err());
        assert!(parse_duration(&format!("{}ms", "9".repeat(400))).is_err());
    }
}
