//! `Date` (`YYYY-MM-DD`) and `DateTime` (`YYYY-MM-DD HH:MM:SS`, UTC): validated strings.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// Why a date or datetime text was rejected (it names the text and the expected format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateError {
    text: String,
    expected: &'static str,
    reason: &'static str,
}

impl fmt::Display for ParseDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} {:?}: {}",
            self.expected, self.text, self.reason
        )
    }
}

impl std::error::Error for ParseDateError {}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks `YYYY-MM-DD` at the start of `b`; returns (year, month, day).
fn check_date(b: &[u8]) -> Result<(u32, u32, u32), &'static str> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err("expected the form YYYY-MM-DD");
    }
    let (Some(y), Some(m), Some(d)) = (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10]))
    else {
        return Err("expected digits in YYYY-MM-DD");
    };
    if y == 0 {
        return Err("year 0 does not exist");
    }
    if !(1..=12).contains(&m) {
        return Err("month out of range");
    }
    if d == 0 || d > days_in_month(y, m) {
        return Err("day out of range for the month");
    }
    Ok((y, m, d))
}

/// An Odoo `date` value: a validated `YYYY-MM-DD` string.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(String);

impl Date {
    const WHAT: &'static str = "date (YYYY-MM-DD)";

    /// Validates `text`.
    pub fn parse(text: &str) -> Result<Date, ParseDateError> {
        Self::check(text)?;
        Ok(Date(text.to_owned()))
    }

    fn check(text: &str) -> Result<(), ParseDateError> {
        let err = |reason| ParseDateError {
            text: text.to_owned(),
            expected: Self::WHAT,
            reason,
        };
        if text.len() != 10 {
            return Err(err("expected 10 characters"));
        }
        check_date(text.as_bytes()).map(|_| ()).map_err(err)
    }

    /// The text, `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The year.
    pub fn year(&self) -> u32 {
        digits(&self.0.as_bytes()[0..4]).unwrap_or(0)
    }
    /// The month, 1–12.
    pub fn month(&self) -> u32 {
        digits(&self.0.as_bytes()[5..7]).unwrap_or(0)
    }
    /// The day of the month, 1–31.
    pub fn day(&self) -> u32 {
        digits(&self.0.as_bytes()[8..10]).unwrap_or(0)
    }
}

/// An Odoo `datetime` value: a validated `YYYY-MM-DD HH:MM:SS` string, in UTC.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(String);

impl DateTime {
    const WHAT: &'static str = "datetime (YYYY-MM-DD HH:MM:SS)";

    /// Validates `text`.
    pub fn parse(text: &str) -> Result<DateTime, ParseDateError> {
        Self::check(text)?;
        Ok(DateTime(text.to_owned()))
    }

    fn check(text: &str) -> Result<(), ParseDateError> {
        let err = |reason| ParseDateError {
            text: text.to_owned(),
            expected: Self::WHAT,
            reason,
        };
        let b = text.as_bytes();
        if b.len() != 19 {
            return Err(err("expected 19 characters"));
        }
        check_date(b).map_err(err)?;
        if b[10] != b' ' || b[13] != b':' || b[16] != b':' {
            return Err(err("expected the form YYYY-MM-DD HH:MM:SS"));
        }
        let (Some(h), Some(m), Some(s)) =
            (digits(&b[11..13]), digits(&b[14..16]), digits(&b[17..19]))
        else {
            return Err(err("expected digits in HH:MM:SS"));
        };
        if h > 23 || m > 59 || s > 59 {
            return Err(err("time out of range"));
        }
        Ok(())
    }

    /// The text, `YYYY-MM-DD HH:MM:SS`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The date part.
    pub fn date(&self) -> Date {
        Date(self.0[..10].to_owned())
    }
    /// The time part, `HH:MM:SS`.
    pub fn time_str(&self) -> &str {
        &self.0[11..]
    }
}

macro_rules! string_type {
    ($ty:ident, $expecting:literal) => {
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($ty), "({:?})"), self.0)
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl FromStr for $ty {
            type Err = ParseDateError;
            fn from_str(s: &str) -> Result<Self, ParseDateError> {
                $ty::parse(s)
            }
        }
        impl TryFrom<&str> for $ty {
            type Error = ParseDateError;
            fn try_from(s: &str) -> Result<Self, ParseDateError> {
                $ty::parse(s)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = ParseDateError;
            fn try_from(s: String) -> Result<Self, ParseDateError> {
                $ty::check(&s)?;
                Ok($ty(s))
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.0
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        $ty::parse(v).map_err(E::custom)
                    }
                    fn visit_string<E: de::Error>(self, v: String) -> Result<$ty, E> {
                        $ty::try_from(v).map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(V)
            }
        }
    };
}

string_type!(Date, "a date string YYYY-MM-DD");
string_type!(DateTime, "a datetime string YYYY-MM-DD HH:MM:SS");
