//! Dates as citizens read them, in French, in the browser's time zone: one module, one style
//! (`22 novembre 2026`, `22 novembre 2026 à 10 h 04`), as the DSFR writes dates in running text.
//!
//! The calendar work (time zone, month names) is the browser's `Intl.DateTimeFormat`, asked for
//! its parts; only the French typography is ours (`1er`, `10 h 04`), in [`assemble`], which is
//! what the native tests read. A date the browser cannot read is shown as the provider wrote it.

use js_sys::{Array, Date, Intl, Object, Reflect};

/// The parts of a moment the French sentence needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Parts {
    day: u32,
    month: String,
    year: String,
    time: Option<(u32, u32)>,
}

/// `2026-11-22T10:04:05Z` → `22 novembre 2026`.
pub fn date_in_words(rfc3339: &str) -> String {
    words(&Date::new(&rfc3339.into()), false).unwrap_or_else(|| rfc3339.to_owned())
}

/// `2026-11-22T10:04:05Z` → `22 novembre 2026 à 10 h 04`.
pub fn datetime_in_words(rfc3339: &str) -> String {
    words(&Date::new(&rfc3339.into()), true).unwrap_or_else(|| rfc3339.to_owned())
}

/// A moment in milliseconds since the epoch (the device's clock), as a date in words.
pub fn date_in_words_ms(ms: f64) -> String {
    words(&Date::new(&ms.into()), false).unwrap_or_default()
}

/// A moment in milliseconds since the epoch, as a date and time in words.
pub fn datetime_in_words_ms(ms: f64) -> String {
    words(&Date::new(&ms.into()), true).unwrap_or_default()
}

/// Today's date (`YYYY-MM-DD`, what form answers hold) in the citizen's time zone.
pub fn today() -> String {
    let d = Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

fn words(date: &Date, with_time: bool) -> Option<String> {
    if date.get_time().is_nan() {
        return None;
    }
    let options = Object::new();
    let set = |name: &str, value: &str| {
        let _ = Reflect::set(&options, &name.into(), &value.into());
    };
    set("day", "numeric");
    set("month", "long");
    set("year", "numeric");
    if with_time {
        set("hour", "numeric");
        set("minute", "2-digit");
        set("hourCycle", "h23");
    }
    let format = Intl::DateTimeFormat::new(&Array::of1(&"fr-FR".into()), &options);
    let mut parts = Parts::default();
    let (mut hour, mut minute) = (None, None);
    for part in format.format_to_parts(date).iter() {
        let field = |name: &str| {
            Reflect::get(&part, &name.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        let (Some(kind), Some(value)) = (field("type"), field("value")) else {
            continue;
        };
        match kind.as_str() {
            "day" => parts.day = value.parse().ok()?,
            "month" => parts.month = value,
            "year" => parts.year = value,
            "hour" => hour = value.parse().ok(),
            "minute" => minute = value.parse().ok(),
            _ => {}
        }
    }
    parts.time = hour.zip(minute).filter(|_| with_time);
    Some(assemble(&parts))
}

/// The French sentence: `1er mars 2026`, `22 novembre 2026 à 10 h 04`.
fn assemble(parts: &Parts) -> String {
    let day = if parts.day == 1 {
        "1er".to_owned()
    } else {
        parts.day.to_string()
    };
    let date = format!("{day} {} {}", parts.month, parts.year);
    match parts.time {
        Some((hour, minute)) => format!("{date} à {hour} h {minute:02}"),
        None => date,
    }
}

#[cfg(test)]
mod tests {
    use super::{Parts, assemble};

    fn parts(day: u32, month: &str, time: Option<(u32, u32)>) -> Parts {
        Parts {
            day,
            month: month.into(),
            year: "2026".into(),
            time,
        }
    }

    #[test]
    fn dates_read_in_french() {
        assert_eq!(assemble(&parts(22, "novembre", None)), "22 novembre 2026");
        assert_eq!(assemble(&parts(1, "mars", None)), "1er mars 2026");
    }

    #[test]
    fn times_read_in_french_hours_and_minutes() {
        assert_eq!(
            assemble(&parts(22, "novembre", Some((10, 4)))),
            "22 novembre 2026 à 10 h 04"
        );
        assert_eq!(
            assemble(&parts(1, "mars", Some((0, 30)))),
            "1er mars 2026 à 0 h 30"
        );
    }
}
