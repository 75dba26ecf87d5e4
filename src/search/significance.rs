//! The significance facet order's statistic, applied by [`crate::search::lift::finish_facets`]
//! beside the lift: how over-represented an entity is in the result set against the rest of
//! the index, as Dunning's log-likelihood ratio (the G-test of independence) on the 2×2 table
//! of documents (in the results or not × annotated with the entity or not), with its p-value
//! from the χ² distribution with one degree of freedom. The score is G, signed: positive when
//! the entity's share of the results exceeds its share of the rest of the index, negative
//! when it falls short. Entities that are everywhere (`human`, `TP53` in an oncology index)
//! have a small G in any result set; an entity concentrated in the results has a large one.

/// The G statistic and its p-value for an entity in `documents` of `hits` results and in
/// `everywhere` of `corpus` index documents (`everywhere` includes the results):
///
/// `G = 2 Σ O ln(O / E)` over the cells `O` of the table
/// `[[a, hits − a], [everywhere − a, corpus − hits − (everywhere − a)]]`, `E` the cell's
/// expected count from its row and column totals (a cell of 0 adds 0); the p-value is
/// `P(χ²₁ ≥ G) = erfc(√(G/2))`. Returns `(signed G, p)`: G is negative when the entity is
/// under-represented in the results. `(0, 1)` when the table is degenerate (no results, or
/// the results are the whole index).
pub fn g_test(documents: u64, hits: u64, everywhere: u64, corpus: u64) -> (f64, f64) {
    let everywhere = everywhere.max(documents);
    let corpus = corpus.max(hits).max(everywhere);
    if hits == 0 || corpus == 0 || hits == corpus {
        return (0.0, 1.0);
    }
    let a = documents as f64;
    let b = (hits - documents.min(hits)) as f64;
    let c = (everywhere - documents) as f64;
    let d = (corpus - hits).saturating_sub(everywhere - documents) as f64;
    let n = a + b + c + d;
    let term = |o: f64, row: f64, col: f64| {
        let e = row * col / n;
        if o > 0.0 && e > 0.0 {
            o * (o / e).ln()
        } else {
            0.0
        }
    };
    let g = 2.0
        * (term(a, a + b, a + c)
            + term(b, a + b, b + d)
            + term(c, c + d, a + c)
            + term(d, c + d, b + d));
    let g = g.max(0.0);
    let over = a * (c + d) > c * (a + b);
    (if over { g } else { -g }, erfc((g / 2.0).sqrt()))
}

/// The complementary error function (Numerical Recipes' Chebyshev fit, fractional error
/// below 1.2e-7 everywhere).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_matches_a_table_worked_by_hand() {
        // 10 of 20 results, 20 of 200 documents: the table [[10, 10], [10, 170]], expected
        // [[2, 18], [18, 162]]; G = 2 (10 ln 5 + 10 ln(10/18) + 10 ln(10/18) + 170 ln(170/162))
        // = 2 (16.0944 − 5.8779 − 5.8779 + 8.1942) = 25.0656.
        let (g, p) = g_test(10, 20, 20, 200);
        assert!((g - 25.0656).abs() < 1e-3, "{g}");
        // χ²₁ tail at 25.07: about 5.6e-7.
        assert!(p > 5.0e-7 && p < 6.0e-7, "{p}");
        // The same share in and out of the results: no association.
        let (g, p) = g_test(2, 20, 20, 200);
        assert!(g.abs() < 1e-9 && (p - 1.0).abs() < 1e-6, "{g} {p}");
        // Under-represented: negative.
        assert!(g_test(0, 100, 100, 200).0 < 0.0);
        assert_eq!(g_test(3, 0, 5, 10), (0.0, 1.0));
    }

    #[test]
    fn erfc_matches_known_values() {
        for (x, want) in [
            (0.0, 1.0),
            (0.5, 0.479_500_122),
            (1.0, 0.157_299_207),
            (2.0, 0.004_677_735),
            (-1.0, 1.842_700_793),
        ] {
            assert!((erfc(x) - want).abs() < 1e-6, "erfc({x}) = {}", erfc(x));
        }
        // χ²₁ critical value 3.841 at p = 0.05.
        assert!((erfc((3.841_459_f64 / 2.0).sqrt()) - 0.05).abs() < 1e-5);
    }
}
