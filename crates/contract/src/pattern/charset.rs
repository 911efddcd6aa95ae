//! Sets of characters as sorted ranges: what one position of a pattern accepts.

/// A set of Unicode scalar values as sorted, disjoint, inclusive ranges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct CharSet(pub(super) Vec<(u32, u32)>);

impl CharSet {
    pub(super) fn single(c: char) -> CharSet {
        CharSet(vec![(c as u32, c as u32)])
    }

    pub(super) fn from_ranges(mut ranges: Vec<(u32, u32)>) -> CharSet {
        ranges.sort_unstable();
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        CharSet(out)
    }

    /// Every scalar value not in the set (surrogates are not scalar values).
    pub(super) fn complement(&self) -> CharSet {
        let mut out = Vec::new();
        let mut next = 0u32;
        for &(lo, hi) in &self.0 {
            if lo > next {
                out.push((next, lo - 1));
            }
            next = hi + 1;
        }
        if next <= 0x10FFFF {
            out.push((next, 0x10FFFF));
        }
        let without_surrogates = out
            .into_iter()
            .flat_map(|(lo, hi)| {
                let below = (lo < 0xD800).then(|| (lo, hi.min(0xD7FF)));
                let above = (hi > 0xDFFF).then(|| (lo.max(0xE000), hi));
                below.into_iter().chain(above)
            })
            .filter(|(lo, hi)| lo <= hi)
            .collect();
        CharSet(without_surrogates)
    }

    /// The smallest character in both sets, if any.
    pub(super) fn common(&self, other: &CharSet) -> Option<char> {
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() && j < other.0.len() {
            let (a, b) = (self.0[i], other.0[j]);
            let lo = a.0.max(b.0);
            if lo <= a.1.min(b.1) {
                return char::from_u32(lo).or(Some('\u{FFFD}'));
            }
            if a.1 < b.1 {
                i += 1;
            } else {
                j += 1;
            }
        }
        None
    }

    /// A character of the set, readable if possible (for [`example`]).
    pub(super) fn pick(&self) -> Option<char> {
        let preferred = ['a'..='z', 'A'..='Z', '0'..='9'];
        for range in preferred {
            if let Some(c) = range.clone().find(|c| {
                self.0
                    .iter()
                    .any(|&(lo, hi)| (lo..=hi).contains(&(*c as u32)))
            }) {
                return Some(c);
            }
        }
        self.0
            .iter()
            .flat_map(|&(lo, hi)| (lo.max(0x20)..=hi).take(64))
            .filter_map(char::from_u32)
            .find(|c| !c.is_control())
    }
}
