//! Dates as citizens read them, in French, in the browser's time zone.

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `2026-11-22T10:04:05Z` → `22 novembre 2026`.
pub fn date_in_words(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&rfc3339.into());
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    day_month_year(date.get_date(), date.get_month(), date.get_full_year())
}

/// `22 novembre 2026 à 10 h 04`.
pub fn datetime_in_words(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&rfc3339.into());
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    format!(
        "{} à {} h {:02}",
        day_month_year(date.get_date(), date.get_month(), date.get_full_year()),
        date.get_hours(),
        date.get_minutes()
    )
}

/// Day (1–31), month (0–11), year → `1er mars 2026`, `22 novembre 2026`.
pub fn day_month_year(day: u32, month: u32, year: u32) -> String {
    let day = if day == 1 {
        "1er".to_owned()
    } else {
        day.to_string()
    };
    format!(
        "{day} {} {year}",
        MONTHS.get(month as usize).copied().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::day_month_year;

    #[test]
    fn dates_read_in_french() {
        assert_eq!(day_month_year(22, 10, 2026), "22 novembre 2026");
        assert_eq!(day_month_year(1, 2, 2026), "1er mars 2026");
    }
}
