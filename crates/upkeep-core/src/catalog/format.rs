//! Numbers as the catalog's headline and tables show them.

/// A value as shown: `—` when unknown, whole numbers without decimals, others with one.
pub fn number(value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

/// A share from 0 to 1 as a whole percentage.
pub fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_shares() {
        assert_eq!(number(None), "—");
        assert_eq!(number(Some(3.0)), "3");
        assert_eq!(number(Some(2.25)), "2.2");
        assert_eq!(pct(0.456), "46%");
    }
}
