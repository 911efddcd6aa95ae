//! Processing times as ISO 8601 durations (`P15D`, `P2M`, `PT48H`, `P1W`), shown to citizens in
//! words ("environ 15 jours").

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProcessingTime {
    pub years: u32,
    pub months: u32,
    pub weeks: u32,
    pub days: u32,
    pub hours: u32,
    pub minutes: u32,
}

/// Why a duration does not parse, with the fix to suggest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError {
    pub hint: String,
}

impl ProcessingTime {
    pub const ZERO: ProcessingTime = ProcessingTime {
        years: 0,
        months: 0,
        weeks: 0,
        days: 0,
        hours: 0,
        minutes: 0,
    };

    /// Parses the ISO 8601 subset used for processing times: `PnYnMnWnD` and `TnHnM`, integers only.
    pub fn parse(text: &str) -> Result<Self, DurationError> {
        let upper = text.trim().to_ascii_uppercase();
        let Some(body) = upper.strip_prefix('P') else {
            return Err(DurationError {
                hint: suggestion(text),
            });
        };
        let mut out = ProcessingTime::ZERO;
        let mut in_time = false;
        let mut number = String::new();
        let mut any = false;
        for c in body.chars() {
            match c {
                '0'..='9' => number.push(c),
                'T' if !in_time && number.is_empty() => in_time = true,
                unit => {
                    let value: u32 = number.parse().map_err(|_| DurationError {
                        hint: suggestion(text),
                    })?;
                    number.clear();
                    any = true;
                    let slot = match (in_time, unit) {
                        (false, 'Y') => &mut out.years,
                        (false, 'M') => &mut out.months,
                        (false, 'W') => &mut out.weeks,
                        (false, 'D') => &mut out.days,
                        (true, 'H') => &mut out.hours,
                        (true, 'M') => &mut out.minutes,
                        _ => {
                            return Err(DurationError {
                                hint: suggestion(text),
                            });
                        }
                    };
                    *slot = value;
                }
            }
        }
        if !number.is_empty() || !any {
            return Err(DurationError {
                hint: suggestion(text),
            });
        }
        Ok(out)
    }

    /// Approximate length in days (a month counts 30 days), for sorting and words.
    pub fn approx_days(&self) -> f64 {
        f64::from(self.years) * 365.0
            + f64::from(self.months) * 30.0
            + f64::from(self.weeks) * 7.0
            + f64::from(self.days)
            + f64::from(self.hours) / 24.0
            + f64::from(self.minutes) / 1440.0
    }

    /// How long, in plain French: "immédiat", "environ 48 heures", "environ 15 jours",
    /// "environ 3 semaines", "environ 2 mois", "environ 1 an".
    pub fn to_words_fr(&self) -> String {
        let days = self.approx_days();
        let plural = |n: u32, one: &str, many: &str| {
            if n > 1 {
                format!("environ {n} {many}")
            } else {
                format!("environ {n} {one}")
            }
        };
        if days == 0.0 {
            "immédiat".to_owned()
        } else if days < 3.0 && (self.hours > 0 || self.minutes > 0 || days < 1.0) {
            let hours = (days * 24.0).round().max(1.0) as u32;
            plural(hours, "heure", "heures")
        } else if self.weeks > 0 && self.days == 0 && self.months == 0 && self.years == 0 {
            plural(self.weeks, "semaine", "semaines")
        } else if days < 45.0 {
            plural(days.round() as u32, "jour", "jours")
        } else if days < 365.0 {
            plural((days / 30.0).round() as u32, "mois", "mois")
        } else {
            plural((days / 365.0).round() as u32, "an", "ans")
        }
    }
}

impl fmt::Display for ProcessingTime {
    /// Back to ISO 8601.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == ProcessingTime::ZERO {
            return f.write_str("P0D");
        }
        f.write_str("P")?;
        for (n, unit) in [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ] {
            if n > 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        if self.hours > 0 || self.minutes > 0 {
            f.write_str("T")?;
            for (n, unit) in [(self.hours, 'H'), (self.minutes, 'M')] {
                if n > 0 {
                    write!(f, "{n}{unit}")?;
                }
            }
        }
        Ok(())
    }
}

/// Guesses the ISO form of what a person wrote ("15 days", "15 jours", "2 mois", "48h").
fn suggestion(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    let digits: String = lower.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = lower[digits.len()..].trim();
    let unit = if rest.starts_with('j') || rest.starts_with("day") || rest == "d" {
        Some("D")
    } else if rest.starts_with("sem") || rest.starts_with("week") || rest == "w" {
        Some("W")
    } else if rest.starts_with("mois") || rest.starts_with("month") {
        Some("M")
    } else if rest.starts_with("an") || rest.starts_with("year") {
        Some("Y")
    } else if rest.starts_with('h') {
        Some("TH")
    } else {
        None
    };
    match (digits.is_empty(), unit) {
        (false, Some("TH")) => format!("write `PT{digits}H`"),
        (false, Some(unit)) => format!("write `P{digits}{unit}`"),
        _ => "write an ISO 8601 duration such as `P15D` (15 days), `P2M` (2 months) or `PT48H` (48 hours)"
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_forms() {
        assert_eq!(ProcessingTime::parse("P15D").map(|d| d.days), Ok(15));
        assert_eq!(ProcessingTime::parse("p2m").map(|d| d.months), Ok(2));
        assert_eq!(ProcessingTime::parse("PT48H").map(|d| d.hours), Ok(48));
        assert_eq!(
            ProcessingTime::parse("P1Y2M3W4DT5H6M").map(|d| d.to_string()),
            Ok("P1Y2M3W4DT5H6M".into())
        );
        assert_eq!(ProcessingTime::parse("P0D"), Ok(ProcessingTime::ZERO));
    }

    #[test]
    fn suggests_the_iso_form_of_what_people_write() {
        let hint = |t: &str| ProcessingTime::parse(t).unwrap_err().hint;
        assert_eq!(hint("15 days"), "write `P15D`");
        assert_eq!(hint("15 jours"), "write `P15D`");
        assert_eq!(hint("2 mois"), "write `P2M`");
        assert_eq!(hint("3 semaines"), "write `P3W`");
        assert_eq!(hint("48h"), "write `PT48H`");
        assert!(hint("bientôt").contains("`P15D`"));
        for bad in ["P", "PT", "P15", "P1.5D", "PD", "P15H", "PT3D", "15D", ""] {
            assert!(ProcessingTime::parse(bad).is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn says_how_long_in_french() {
        let words = |t: &str| ProcessingTime::parse(t).unwrap().to_words_fr();
        assert_eq!(words("P0D"), "immédiat");
        assert_eq!(words("PT48H"), "environ 48 heures");
        assert_eq!(words("PT1H"), "environ 1 heure");
        assert_eq!(words("P1D"), "environ 1 jour");
        assert_eq!(words("P15D"), "environ 15 jours");
        assert_eq!(words("P3W"), "environ 3 semaines");
        assert_eq!(words("P2M"), "environ 2 mois");
        assert_eq!(words("P60D"), "environ 2 mois");
        assert_eq!(words("P1Y"), "environ 1 an");
        assert_eq!(words("P2Y"), "environ 2 ans");
    }
}
