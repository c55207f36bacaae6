//! 委託手数料 due under an operator's contract, written from the contract's terms
//! (`fixtures/operators/*.toml`): yen per copy before consumption tax, the tax rate, how
//! tax is rounded (切り捨て, 四捨五入, 切り上げ) and whether it is taxed per copy or on the
//! statement total. This is kofu's expectation, kept apart from the mock center's ledger
//! that produces the statements, so the two can disagree.

use kofu_fixtures::operator::{Commission, Rounding, TaxBasis};

/// Whole yen of `amount × rate %` under `rounding`, counted in hundredths of a yen.
fn tax_on(amount: u64, rate_percent: u32, rounding: Rounding) -> u64 {
    let hundredths = amount * u64::from(rate_percent);
    let whole = hundredths / 100;
    let rest = hundredths % 100;
    match rounding {
        Rounding::Floor => whole,
        Rounding::Ceil => whole + u64::from(rest > 0),
        Rounding::HalfUp => whole + u64::from(rest >= 50),
    }
}

/// The commission, tax included, for `copies` confirmed copies of one statement.
pub fn due(contract: &Commission, copies: u64) -> u64 {
    let per_copy = u64::from(contract.per_copy_excluding_tax);
    match contract.tax_basis {
        TaxBasis::PerCopy => {
            copies * (per_copy + tax_on(per_copy, contract.tax_rate_percent, contract.rounding))
        }
        TaxBasis::PerStatement => {
            let before_tax = copies * per_copy;
            before_tax + tax_on(before_tax, contract.tax_rate_percent, contract.rounding)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(rounding: Rounding, tax_basis: TaxBasis) -> Commission {
        Commission {
            per_copy_excluding_tax: 115,
            tax_rate_percent: 10,
            rounding,
            tax_basis,
        }
    }

    #[test]
    fn worked_by_hand() {
        // 115 yen a copy, 10 %: 11.5 yen of tax a copy, 34.5 yen on three copies.
        let cases = [
            (Rounding::Floor, TaxBasis::PerCopy, 3 * (115 + 11)),
            (Rounding::HalfUp, TaxBasis::PerCopy, 3 * (115 + 12)),
            (Rounding::Ceil, TaxBasis::PerCopy, 3 * (115 + 12)),
            (Rounding::Floor, TaxBasis::PerStatement, 345 + 34),
            (Rounding::HalfUp, TaxBasis::PerStatement, 345 + 35),
            (Rounding::Ceil, TaxBasis::PerStatement, 345 + 35),
        ];
        for (rounding, basis, expected) in cases {
            assert_eq!(
                due(&contract(rounding, basis), 3),
                expected,
                "{rounding:?} {basis:?}"
            );
        }
        assert_eq!(due(&contract(Rounding::Ceil, TaxBasis::PerStatement), 0), 0);
    }
}
