//! Typo tolerance: a bounded edit distance, and a cheap filter that spares it most words.
//!
//! Typo matching compares the query word with every word of the index on each keystroke, so it
//! must neither allocate nor run the distance on words that cannot be close: two words within `d`
//! edits differ in at most `2·d` letters of their letter sets (a substitution removes one letter
//! and adds another, an insertion or deletion changes one, a swap none), which one XOR and one
//! popcount tell.

/// The set of letters of a word (a–z, one bit each; anything else shares bit 26).
pub fn letters(word: &[char]) -> u32 {
    word.iter().fold(0, |mask, c| {
        let bit = match c {
            'a'..='z' => *c as u32 - 'a' as u32,
            _ => 26,
        };
        mask | 1 << bit
    })
}

/// Whether two letter sets allow a distance of `max` edits.
pub fn may_be_within(a: u32, b: u32, max: usize) -> bool {
    (a ^ b).count_ones() as usize <= 2 * max
}

/// Typos tolerated for a query word: none under 5 letters, 1 from 5, 2 from 9.
pub fn allowed_typos(letters: usize) -> usize {
    match letters {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Edit distance (optimal string alignment: insert, delete, substitute, swap two neighbours)
/// between `a` and `b` if it is at most `max`.
pub fn bounded_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut scratch = Scratch::default();
    scratch.within(&a, &b, max).then_some(scratch.last_distance)
}

/// Reusable buffers for [`Scratch::within`].
#[derive(Debug, Default)]
pub struct Scratch {
    rows: [Vec<usize>; 3],
    /// Distance found by the last successful [`Scratch::within`].
    pub last_distance: usize,
}

impl Scratch {
    /// Whether the optimal-string-alignment distance between `a` and `b` is at most `max`.
    pub fn within(&mut self, a: &[char], b: &[char], max: usize) -> bool {
        if a.len().abs_diff(b.len()) > max {
            return false;
        }
        let width = b.len() + 1;
        for row in &mut self.rows {
            row.clear();
            row.resize(width, 0);
        }
        let [before, previous, current] = &mut self.rows;
        for (j, cell) in previous.iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            current[0] = i;
            let mut row_min = i;
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut d = (previous[j] + 1)
                    .min(current[j - 1] + 1)
                    .min(previous[j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = d.min(before[j - 2] + 1);
                }
                current[j] = d;
                row_min = row_min.min(d);
            }
            if row_min > max {
                return false;
            }
            std::mem::swap(before, previous);
            std::mem::swap(previous, current);
        }
        self.last_distance = previous[b.len()];
        self.last_distance <= max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn distance_is_bounded_and_counts_transpositions_once() {
        assert_eq!(bounded_distance("encombrant", "encombrant", 2), Some(0));
        assert_eq!(bounded_distance("ecombrant", "encombrant", 2), Some(1));
        assert_eq!(bounded_distance("acte", "acre", 1), Some(1));
        assert_eq!(bounded_distance("naissance", "niassance", 1), Some(1));
        assert_eq!(bounded_distance("naissance", "mariage", 2), None);
    }

    #[test]
    fn typo_allowance_grows_with_length() {
        assert_eq!(allowed_typos(3), 0);
        assert_eq!(allowed_typos(4), 0);
        assert_eq!(allowed_typos(6), 1);
        assert_eq!(allowed_typos(11), 2);
    }

    #[test]
    fn the_letter_filter_never_rejects_a_close_word() {
        let pairs = [
            ("encombrents", "encombrants", 1),
            ("restoration", "restauration", 2),
            ("periscolere", "periscolaire", 2),
            ("inscripsion", "inscription", 1),
            ("naisance", "niasance", 1),
        ];
        for (a, b, d) in pairs {
            let (a, b) = (chars(a), chars(b));
            assert!(Scratch::default().within(&a, &b, d));
            assert!(may_be_within(letters(&a), letters(&b), d), "{a:?} {b:?}");
        }
        assert!(!may_be_within(
            letters(&chars("piscine")),
            letters(&chars("encombrant")),
            2
        ));
    }
}
