//! Costs: "Gratuit" or an amount in euros, written as people write it (`25 €`, `12,50 €`, `0`).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money {
    pub cents: u64,
}

impl Money {
    pub const FREE: Money = Money { cents: 0 };

    /// Accepts `gratuit`, `0`, `25`, `25 €`, `25,50 €`, `25.50 EUR`, `1 250 €`.
    pub fn parse(text: &str) -> Result<Money, String> {
        let hint =
            || "write `Gratuit` or an amount in euros such as `25 €` or `12,50 €`".to_owned();
        let lower = text.trim().to_lowercase();
        if lower == "gratuit" || lower == "free" {
            return Ok(Money::FREE);
        }
        let number = lower
            .trim_end_matches("eur")
            .trim_end_matches("euros")
            .trim_end_matches('€')
            .trim()
            .replace([' ', '\u{a0}', '\u{202f}'], "");
        if number.is_empty() {
            return Err(hint());
        }
        let (units, decimals) = match number.split_once([',', '.']) {
            Some((u, d)) => (u, d),
            None => (number.as_str(), ""),
        };
        if units.is_empty()
            || !units.chars().all(|c| c.is_ascii_digit())
            || decimals.len() > 2
            || !decimals.chars().all(|c| c.is_ascii_digit())
        {
            return Err(hint());
        }
        let units: u64 = units.parse().map_err(|_| hint())?;
        let cents: u64 = match decimals.len() {
            0 => 0,
            1 => decimals.parse::<u64>().map_err(|_| hint())? * 10,
            _ => decimals.parse().map_err(|_| hint())?,
        };
        units
            .checked_mul(100)
            .and_then(|c| c.checked_add(cents))
            .map(|cents| Money { cents })
            .ok_or_else(hint)
    }

    pub fn is_free(&self) -> bool {
        self.cents == 0
    }
}

impl fmt::Display for Money {
    /// French formatting: `Gratuit`, `25 €`, `12,50 €`, `1 250 €` (narrow no-break spaces).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_free() {
            return f.write_str("Gratuit");
        }
        let units = (self.cents / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in units.chars().enumerate() {
            if i > 0 && (units.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        match self.cents % 100 {
            0 => write!(f, "{grouped}\u{a0}€"),
            cents => write!(f, "{grouped},{cents:02}\u{a0}€"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Money;

    #[test]
    fn parses_what_people_write() {
        let cents = |t: &str| Money::parse(t).map(|m| m.cents);
        assert_eq!(cents("Gratuit"), Ok(0));
        assert_eq!(cents("0"), Ok(0));
        assert_eq!(cents("25 €"), Ok(2500));
        assert_eq!(cents("12,50 €"), Ok(1250));
        assert_eq!(cents("12.5 EUR"), Ok(1250));
        assert_eq!(cents("1 250 €"), Ok(125_000));
        for bad in ["", "€", "douze euros", "12,505 €", "-3 €", "1e3"] {
            assert!(Money::parse(bad).is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn formats_in_french() {
        assert_eq!(Money { cents: 0 }.to_string(), "Gratuit");
        assert_eq!(Money { cents: 2500 }.to_string(), "25\u{a0}€");
        assert_eq!(Money { cents: 1250 }.to_string(), "12,50\u{a0}€");
        assert_eq!(Money { cents: 125_000 }.to_string(), "1\u{202f}250\u{a0}€");
    }
}
