//! FHIR `date`, `dateTime` and `instant` parsing and formatting without a date library
//! (proleptic Gregorian calendar, Howard Hinnant's civil-date algorithms).
//!
//! - A full date (`YYYY-MM-DD`) is midnight UTC when a point in time is needed.
//! - A dateTime with a time must carry a timezone (`Z` or `±hh:mm`), as FHIR requires; the
//!   offset is applied, so `2024-03-10T08:00:00-05:00` is 13:00 UTC.
//! - Fractions of a second are kept to the millisecond (further digits are truncated).
//! - Partial dates (`YYYY`, `YYYY-MM`) are valid FHIR but too imprecise to place a value on a
//!   timeline: they are reported as [`DateError::Partial`] and each caller decides.

/// Why a FHIR date or dateTime was not accepted. The texts never contain the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not a FHIR date/dateTime, or an impossible calendar date or time.
    Format,
    /// Year or year-month only.
    Partial,
    /// A time of day without a timezone.
    NoTimezone,
}

impl DateError {
    pub fn reason(self) -> &'static str {
        match self {
            DateError::Format => "not a valid FHIR date or dateTime",
            DateError::Partial => "partial date (year or year-month) where a full date is needed",
            DateError::NoTimezone => "dateTime with a time of day but no timezone",
        }
    }
}

pub(crate) use iris_record::calendar::{civil_from_days, days_from_civil, days_in_month};

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0')))
}

/// A parsed date part: year, month, day.
fn parse_date_part(b: &[u8]) -> Result<(i64, u32, u32), DateError> {
    let year = b.get(..4).and_then(digits).ok_or(DateError::Format)?;
    if year == 0 {
        return Err(DateError::Format);
    }
    let year = i64::from(year);
    match b.len() {
        4 => return Err(DateError::Partial),
        7 if b[4] == b'-' => {
            let m = digits(&b[5..7]).ok_or(DateError::Format)?;
            return Err(if (1..=12).contains(&m) {
                DateError::Partial
            } else {
                DateError::Format
            });
        }
        10 if b[4] == b'-' && b[7] == b'-' => {}
        _ => return Err(DateError::Format),
    }
    let m = digits(&b[5..7]).ok_or(DateError::Format)?;
    let d = digits(&b[8..10]).ok_or(DateError::Format)?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(year, m) {
        return Err(DateError::Format);
    }
    Ok((year, m, d))
}

/// A strict full date `YYYY-MM-DD`, returned as given.
pub fn parse_date(s: &str) -> Result<(i64, u32, u32), DateError> {
    parse_date_part(s.as_bytes())
}

/// Milliseconds of the time-of-day part `hh:mm:ss(.fff…)` and the timezone offset in minutes.
fn parse_time_part(b: &[u8]) -> Result<(i64, i64), DateError> {
    // hh:mm:ss
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return Err(DateError::Format);
    }
    let h = digits(&b[0..2]).ok_or(DateError::Format)?;
    let mi = digits(&b[3..5]).ok_or(DateError::Format)?;
    let s = digits(&b[6..8]).ok_or(DateError::Format)?;
    if h > 23 || mi > 59 || s > 59 {
        return Err(DateError::Format);
    }
    let mut rest = &b[8..];
    let mut ms = 0u32;
    if let Some(after) = rest.strip_prefix(b".") {
        let n = after.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return Err(DateError::Format);
        }
        let frac = &after[..n];
        for i in 0..3 {
            ms = ms * 10 + frac.get(i).map_or(0, |c| u32::from(c - b'0'));
        }
        rest = &after[n..];
    }
    let offset = match rest {
        [] => return Err(DateError::NoTimezone),
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
            let oh = digits(&[*oh1, *oh2]).ok_or(DateError::Format)?;
            let om = digits(&[*om1, *om2]).ok_or(DateError::Format)?;
            if oh > 14 || om > 59 || (oh == 14 && om != 0) {
                return Err(DateError::Format);
            }
            let v = i64::from(oh * 60 + om);
            if *sign == b'-' { -v } else { v }
        }
        _ => return Err(DateError::Format),
    };
    let tod = (i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)) * 1000 + i64::from(ms);
    Ok((tod, offset))
}

/// A FHIR `dateTime`/`instant` (or full `date`, read as midnight UTC) as Unix milliseconds.
pub fn parse_datetime_ms(s: &str) -> Result<i64, DateError> {
    let b = s.as_bytes();
    if b.len() <= 10 {
        let (y, m, d) = parse_date_part(b)?;
        return Ok(days_from_civil(y, m, d) * 86_400_000);
    }
    if b[10] != b'T' {
        return Err(DateError::Format);
    }
    let (y, m, d) = parse_date_part(&b[..10])?;
    let (tod, offset) = parse_time_part(&b[11..])?;
    let ms = days_from_civil(y, m, d) * 86_400_000 + tod - offset * 60_000;
    // An offset can carry the instant out of years 0001–9999, which FHIR cannot write in UTC.
    if !(MIN_MS..=MAX_MS).contains(&ms) {
        return Err(DateError::Format);
    }
    Ok(ms)
}

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.
const MIN_MS: i64 = -62_135_596_800_000;
const MAX_MS: i64 = 253_402_300_799_999;

/// The calendar date (`YYYY-MM-DD`) of a FHIR `date` or `dateTime` as written (the local date
/// of the writer, not converted to UTC), after checking the whole value.
pub fn date_of(s: &str) -> Result<String, DateError> {
    parse_datetime_ms(s)?;
    Ok(s[..10].to_string())
}

/// Unix milliseconds as a FHIR `instant` in UTC: `YYYY-MM-DDThh:mm:ssZ`, with `.fff` when the
/// milliseconds are not zero. [`parse_datetime_ms`] reads it back exactly.
pub fn format_ms(ms: i64) -> String {
    format_ms_offset(ms, 0)
}

/// Unix milliseconds as a FHIR `dateTime` in a timezone `offset_min` minutes east of UTC.
pub fn format_ms_offset(ms: i64, offset_min: i32) -> String {
    let local = ms + i64::from(offset_min) * 60_000;
    let days = local.div_euclid(86_400_000);
    let tod = local.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, f) = (
        tod / 3_600_000,
        tod / 60_000 % 60,
        tod / 1000 % 60,
        tod % 1000,
    );
    let frac = if f == 0 {
        String::new()
    } else {
        format!(".{f:03}")
    };
    let tz = if offset_min == 0 {
        "Z".to_string()
    } else {
        let sign = if offset_min < 0 { '-' } else { '+' };
        let a = offset_min.unsigned_abs();
        format!("{sign}{:02}:{:02}", a / 60, a % 60)
    };
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{tz}")
}

/// The UTC calendar date of Unix milliseconds.
pub fn date_from_ms(ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Unix milliseconds of midnight UTC on a full date; `None` when it is not one.
pub fn date_to_ms(s: &str) -> Option<i64> {
    let (y, m, d) = parse_date(s).ok()?;
    Some(days_from_civil(y, m, d) * 86_400_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_with_offsets() {
        let utc = parse_datetime_ms("2024-03-10T13:00:00Z").unwrap();
        assert_eq!(parse_datetime_ms("2024-03-10T08:00:00-05:00"), Ok(utc));
        assert_eq!(parse_datetime_ms("2024-03-10T14:30:00+01:30"), Ok(utc));
        assert_eq!(parse_datetime_ms("2024-03-11T03:00:00+14:00"), Ok(utc));
        assert_eq!(parse_datetime_ms("2024-03-10T13:00:00.5Z"), Ok(utc + 500));
        assert_eq!(
            parse_datetime_ms("2024-03-10T13:00:00.1239Z"),
            Ok(utc + 123)
        );
        assert_eq!(parse_datetime_ms("1970-01-01"), Ok(0));
        assert_eq!(parse_datetime_ms("1969-12-31T23:59:59Z"), Ok(-1000));
        assert_eq!(parse_datetime_ms("2024-02-29"), Ok(1_709_164_800_000));
        assert_eq!(parse_datetime_ms("0001-01-01T00:00:00Z"), Ok(MIN_MS));
        assert_eq!(parse_datetime_ms("9999-12-31T23:59:59.999Z"), Ok(MAX_MS));
    }

    #[test]
    fn rejects_bad_values() {
        use DateError::*;
        for (s, e) in [
            ("2023-02-29", Format),
            ("2024-13-01", Format),
            ("2024-00-10", Format),
            ("0000-01-01", Format),
            ("2024-1-01", Format),
            ("2024-01-01T10:00", Format),
            ("2024-01-01T24:00:00Z", Format),
            ("2024-01-01T10:00:60Z", Format),
            ("2024-01-01T10:00:00+15:00", Format),
            ("2024-01-01T10:00:00+0500", Format),
            ("2024-01-01T10:00:00.Z", Format),
            ("2024-01-01 10:00:00Z", Format),
            ("2024-01-01T10:00:00", NoTimezone),
            ("2024", Partial),
            ("2024-05", Partial),
            ("", Format),
            ("2024-01-01T", Format),
            ("２０２４-01-01", Format),
            ("9999-12-31T23:00:00-05:00", Format),
            ("0001-01-01T00:30:00+01:00", Format),
        ] {
            assert_eq!(parse_datetime_ms(s), Err(e), "{s}");
        }
    }

    #[test]
    fn formats_and_reads_back() {
        for ms in [
            0,
            -1,
            1_709_164_800_123,
            -2_208_988_800_000,
            253_402_000_000_000,
        ] {
            assert_eq!(parse_datetime_ms(&format_ms(ms)), Ok(ms), "{ms}");
            for off in [-300, 330, 840, -720] {
                assert_eq!(parse_datetime_ms(&format_ms_offset(ms, off)), Ok(ms));
            }
        }
        assert_eq!(format_ms(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_ms_offset(0, -300), "1969-12-31T19:00:00-05:00");
        assert_eq!(date_of("2024-03-10T23:30:00-05:00").unwrap(), "2024-03-10");
        assert_eq!(date_from_ms(1_709_164_800_000), "2024-02-29");
    }
}
