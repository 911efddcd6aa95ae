//! French text folding shared by commune search and service search.
//!
//! Citizens type on phones without accents, with or without hyphens and apostrophes, "st" for
//! "saint": every comparison happens on folded text so that `st jean de braye`, `Saint-Jean-de-Braye`
//! and `SAINT JEAN DE BRAYE` are the same words.

/// Lower-case, accents removed, ligatures expanded (`œ` → `oe`); other characters kept.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                out.push('a')
            }
            'ç' | 'Ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => out.push('i'),
            'ñ' | 'Ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => out.push('u'),
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => out.push('y'),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            '’' | '‘' | 'ʼ' | '`' | '´' => out.push('\''),
            '‐' | '‑' | '–' | '—' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Folded words: letters and digits only, split on everything else (hyphens, apostrophes, spaces).
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Folded words with the usual French abbreviations of place names expanded (`st` → `saint`,
/// `ste` → `sainte`, `s/` → `sur`), joined by single spaces: the key commune names are compared on.
pub fn place_key(text: &str) -> String {
    let folded = fold(text).replace("s/", " sur ");
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            "sts" => "saints",
            "stes" => "saintes",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_ligatures() {
        assert_eq!(fold("Œuvre Élémentaire"), "oeuvre elementaire");
        assert_eq!(fold("L’Île-d’Yeu"), "l'ile-d'yeu");
    }

    #[test]
    fn place_keys_ignore_punctuation_and_expand_saint() {
        assert_eq!(place_key("Saint-Jean-de-Braye"), "saint jean de braye");
        assert_eq!(place_key("st jean de braye"), "saint jean de braye");
        assert_eq!(
            place_key("Ste-Geneviève-des-Bois"),
            "sainte genevieve des bois"
        );
        assert_eq!(place_key("L'Île-d'Yeu"), "l ile d yeu");
        assert_eq!(place_key("Châteauneuf s/ Loire"), "chateauneuf sur loire");
    }

    #[test]
    fn words_split_on_anything_not_a_letter() {
        assert_eq!(
            words("l'état-civil, 2024"),
            vec!["l", "etat", "civil", "2024"]
        );
    }
}
