//! French phone numbers: accepted as people write them, stored in E.164, shown grouped by two.
//!
//! A number in the catalogue is one a citizen is told to call, so it must not cost them more than
//! an ordinary call. Following ARCEP's numbering plan (decision 2018-0881 and the 2015 tariff
//! reform of special numbers):
//!
//! * accepted: geographic numbers (01 to 05), mobiles (06, 07), 09, free special numbers
//!   (08 00 to 08 05) and special numbers at the price of an ordinary call (08 06 to 08 09);
//! * refused: surcharged special numbers (« tarification majorée »: 08 1x, 08 2x, 08 9x — the
//!   caller pays a service price on top of the call), the other 08 ranges (neither free nor
//!   ordinary-price), and short numbers — 3xxx and 10xx (not callable from abroad nor from
//!   every line, many surcharged), 118 xyz directory enquiries (surcharged) and emergency or
//!   European social numbers (15, 17, 18, 112, 114, 115, 119, 191, 196, 197, 116 xyz), which are
//!   not a service's own line.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    /// E.164 form, e.g. `+33238298000`.
    pub e164: String,
}

/// Why a number is refused; the `Display` is the message, [`PhoneError::hint`] the fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("`{0}` is not a phone number")]
    NotANumber(String),
    #[error(
        "`{0}` is a surcharged number (08 1x, 08 2x and 08 9x numbers make the caller pay a service price on top of the call)"
    )]
    Surcharged(String),
    #[error(
        "`{0}` is neither a free special number (08 00 to 08 05) nor one at the price of an ordinary call (08 06 to 08 09)"
    )]
    OtherSpecial(String),
    #[error(
        "`{0}` is a short number (3xxx, 10xx): it cannot be called from abroad nor from every line, and many are surcharged"
    )]
    Short(String),
    #[error("`{0}` is a directory enquiries number (118 xyz), which is surcharged")]
    Directory(String),
    #[error("`{0}` is an emergency or European social number, not a service's own line")]
    Emergency(String),
}

impl PhoneError {
    pub fn hint(&self) -> &'static str {
        match self {
            PhoneError::NotANumber(_) => {
                "write a French number such as `02 38 29 80 00` or `+33 2 38 29 80 00`"
            }
            PhoneError::Surcharged(_) | PhoneError::OtherSpecial(_) => {
                "give the service's ordinary number (01 to 05, 06, 07, 09), a free one (08 00 to 08 05) or one at the price of a call (08 06 to 08 09)"
            }
            PhoneError::Short(_) | PhoneError::Directory(_) | PhoneError::Emergency(_) => {
                "give the service's ten-digit number, e.g. `02 38 29 80 00`"
            }
        }
    }
}

/// `08 AB …` (national digits without the leading 0, so `8AB…`): refused when not free or at the
/// price of an ordinary call.
fn special_number_problem(digits: &str, written: &str) -> Option<PhoneError> {
    let rest = digits.strip_prefix('8')?;
    match rest.as_bytes().first() {
        Some(b'0') => None,
        Some(b'1' | b'2' | b'9') => Some(PhoneError::Surcharged(written.to_owned())),
        _ => Some(PhoneError::OtherSpecial(written.to_owned())),
    }
}

/// A number of 2 to 6 digits not starting with 0.
fn short_number_problem(compact: &str, written: &str) -> PhoneError {
    const EMERGENCY: [&str; 10] = [
        "15", "17", "18", "112", "114", "115", "119", "191", "196", "197",
    ];
    let written = written.to_owned();
    if EMERGENCY.contains(&compact) || (compact.len() == 6 && compact.starts_with("116")) {
        PhoneError::Emergency(written)
    } else if compact.len() == 6 && compact.starts_with("118") {
        PhoneError::Directory(written)
    } else if compact.len() == 4 && (compact.starts_with('3') || compact.starts_with("10")) {
        PhoneError::Short(written)
    } else {
        PhoneError::NotANumber(written)
    }
}

impl Phone {
    /// Accepts `02 38 29 80 00`, `02.38.29.80.00`, `+33 2 38 29 80 00`, `0033238298000`; refuses
    /// surcharged and short numbers (see the module documentation).
    pub fn parse(text: &str) -> Result<Phone, PhoneError> {
        let written = text.trim();
        let compact: String = written
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}' | '(' | ')'))
            .collect();
        let national = if let Some(rest) = compact.strip_prefix("+33") {
            rest
        } else if let Some(rest) = compact.strip_prefix("0033") {
            rest
        } else if let Some(rest) = compact.strip_prefix('0') {
            rest
        } else if (2..=6).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(short_number_problem(&compact, written));
        } else {
            return Err(PhoneError::NotANumber(written.to_owned()));
        };
        if national.len() != 9
            || !national.chars().all(|c| c.is_ascii_digit())
            || national.starts_with('0')
        {
            return Err(PhoneError::NotANumber(written.to_owned()));
        }
        if let Some(problem) = special_number_problem(national, written) {
            return Err(problem);
        }
        Ok(Phone {
            e164: format!("+33{national}"),
        })
    }

    /// `tel:` URI for links.
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.e164)
    }
}

impl fmt::Display for Phone {
    /// `02 38 29 80 00` (national format).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(rest) = self.e164.strip_prefix("+33") else {
            return f.write_str(&self.e164);
        };
        let national = format!("0{rest}");
        let pairs: Vec<&str> = national
            .as_bytes()
            .chunks(2)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        f.write_str(&pairs.join("\u{a0}"))
    }
}

#[cfg(test)]
mod tests {
    use super::{Phone, PhoneError};

    #[test]
    fn accepts_usual_french_forms() {
        for text in [
            "02 38 29 80 00",
            "02.38.29.80.00",
            "+33 2 38 29 80 00",
            "0033238298000",
            "+33 (0)2 38 29 80 00",
        ] {
            let parsed = Phone::parse(&text.replace("(0)", ""));
            assert_eq!(
                parsed.map(|p| p.e164),
                Ok("+33238298000".to_owned()),
                "{text}"
            );
        }
    }

    #[test]
    fn accepts_every_number_that_costs_no_more_than_an_ordinary_call() {
        for text in [
            "01 23 45 67 89",
            "03 20 00 00 00",
            "04 72 00 00 00",
            "05 56 00 00 00",
            "06 12 34 56 78",
            "07 12 34 56 78",
            "09 70 00 00 00",
            "08 00 00 00 00",
            "0805 123 456",
            "08 06 00 00 00",
            "08 09 40 00 00",
            "+33 8 05 00 00 00",
        ] {
            assert!(
                Phone::parse(text).is_ok(),
                "{text}: {:?}",
                Phone::parse(text)
            );
        }
    }

    #[test]
    fn refuses_surcharged_special_numbers_in_every_written_form() {
        for text in [
            "08 10 00 00 00",
            "0811 000 000",
            "08 20 00 00 00",
            "08 25 00 00 00",
            "08 90 00 00 00",
            "08 92 68 00 00",
            "08 99 00 00 00",
            "+33 8 92 68 00 00",
            "0033 899 000 000",
        ] {
            assert_eq!(
                Phone::parse(text),
                Err(PhoneError::Surcharged(text.to_owned())),
                "{text}"
            );
        }
        assert!(matches!(
            Phone::parse("08 84 00 00 00"),
            Err(PhoneError::OtherSpecial(_))
        ));
    }

    #[test]
    fn refuses_short_numbers_with_their_reason() {
        for (text, expected) in [
            ("3939", PhoneError::Short("3939".into())),
            ("36 46", PhoneError::Short("36 46".into())),
            ("1014", PhoneError::Short("1014".into())),
            ("118 712", PhoneError::Directory("118 712".into())),
            ("15", PhoneError::Emergency("15".into())),
            ("112", PhoneError::Emergency("112".into())),
            ("116 117", PhoneError::Emergency("116 117".into())),
            ("44", PhoneError::NotANumber("44".into())),
        ] {
            assert_eq!(Phone::parse(text), Err(expected), "{text}");
        }
        let short = Phone::parse("3939").unwrap_err();
        assert!(
            short.to_string().contains("cannot be called from abroad"),
            "{short}"
        );
        assert!(short.hint().contains("ten-digit"));
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for bad in [
            "02 38 29 80",
            "mairie",
            "+44 20 7946 0958",
            "00 00 00 00 00",
            "",
        ] {
            assert!(
                matches!(Phone::parse(bad), Err(PhoneError::NotANumber(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn shows_numbers_in_pairs() {
        let p = Phone::parse("+33238298000").unwrap();
        assert_eq!(p.to_string(), "02\u{a0}38\u{a0}29\u{a0}80\u{a0}00");
        assert_eq!(p.tel_uri(), "tel:+33238298000");
    }
}
