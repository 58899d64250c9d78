//! The calendar (proleptic Gregorian) without a date library, one implementation for every
//! crate: civil dates and day numbers (Howard Hinnant's `days_from_civil` and
//! `civil_from_days`), strict `YYYY-MM-DD` parsing and validity, and Unix milliseconds.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` (1–12) of year `y`; 0 for a month that does not exist.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day number (days since 1970-01-01).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

impl Date {
    /// Strict `YYYY-MM-DD` (FHIR `date` at day precision).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let t = &s[r];
            t.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| t.parse().ok())?
        };
        let (year, month, day) = (num(0..4)? as i32, num(5..7)? as u8, num(8..10)? as u8);
        ((1..=12).contains(&month)
            && day >= 1
            && u32::from(day) <= days_in_month(i64::from(year), u32::from(month)))
        .then_some(Date { year, month, day })
    }

    /// The UTC calendar date of a Unix time in milliseconds.
    pub fn from_unix_ms(ms: i64) -> Date {
        let (y, m, d) = civil_from_days(ms.div_euclid(DAY_MS));
        Date {
            year: y as i32,
            month: m as u8,
            day: d as u8,
        }
    }

    /// Whole years from `birth` (`YYYY-MM-DD`) to this date: an age. 0 for an unreadable
    /// birth date or one after this date.
    pub fn years_since(self, birth: &str) -> u32 {
        match Date::parse(birth) {
            Some(b) => {
                let mut years = self.year - b.year;
                if (self.month, self.day) < (b.month, b.day) {
                    years -= 1;
                }
                years.max(0) as u32
            }
            None => 0,
        }
    }

    /// Unix milliseconds at midnight UTC of this date.
    pub fn to_unix_ms(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        ) * DAY_MS
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_dates_only() {
        assert_eq!(
            Date::parse("2024-02-29"),
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-00-10",
            "24-01-01",
            "2024-1-01",
            "2024-01-32",
            "abcd-ef-gh",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2000-02-29").is_some());
    }

    #[test]
    fn civil_round_trip() {
        for z in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn unix_time_to_calendar_date() {
        assert_eq!(Date::from_unix_ms(0).to_string(), "1970-01-01");
        // 2026-11-24T02:32:57Z
        assert_eq!(
            Date::from_unix_ms(1_795_487_577_000).to_string(),
            "2026-11-24"
        );
        assert_eq!(
            Date::from_unix_ms(951_782_400_000).to_string(),
            "2000-02-29"
        );
        assert_eq!(Date::from_unix_ms(-86_400_000).to_string(), "1969-12-31");
    }

    #[test]
    fn age_counts_whole_years_and_birthdays() {
        let today = Date::parse("2026-11-24").unwrap();
        assert_eq!(today.years_since("1980-11-24"), 46);
        assert_eq!(today.years_since("1980-11-25"), 45);
        assert_eq!(today.years_since("2026-11-24"), 0);
        assert_eq!(
            Date::parse("2026-02-28").unwrap().years_since("2000-02-29"),
            25
        );
        assert_eq!(today.years_since("garbage"), 0);
    }
}
