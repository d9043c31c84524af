//! A set of responses as one bit per response: who was shown a question, who gave an
//! answer. Conditions combine them a word (64 responses) at a time.

/// One bit per response, `len` of them; bits past `len` stay 0.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    /// `len` bits, all 0.
    pub fn zeros(len: usize) -> Self {
        Self {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// `len` bits, all 1.
    pub fn ones(len: usize) -> Self {
        let mut bits = Self {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        bits.clear_tail();
        bits
    }

    pub fn get(&self, i: usize) -> bool {
        self.words[i / 64] & (1 << (i % 64)) != 0
    }

    pub fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// How many bits are 1.
    pub fn count(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// The bits of `later` after these.
    pub fn append(&mut self, later: &Bits) {
        if self.len.is_multiple_of(64) {
            self.words.extend_from_slice(&later.words);
            self.len += later.len;
            return;
        }
        let start = self.len;
        self.len += later.len;
        self.words.resize(self.len.div_ceil(64), 0);
        for i in 0..later.len {
            if later.get(i) {
                self.set(start + i);
            }
        }
    }

    /// Both.
    pub fn and(&self, other: &Bits) -> Bits {
        self.zip(other, |a, b| a & b)
    }

    /// Either.
    pub fn or(&self, other: &Bits) -> Bits {
        self.zip(other, |a, b| a | b)
    }

    /// The other responses.
    pub fn not(&self) -> Bits {
        let mut out = Bits {
            words: self.words.iter().map(|w| !w).collect(),
            len: self.len,
        };
        out.clear_tail();
        out
    }

    fn zip(&self, other: &Bits, f: impl Fn(u64, u64) -> u64) -> Bits {
        debug_assert_eq!(self.len, other.len);
        Bits {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| f(*a, *b))
                .collect(),
            len: self.len,
        }
    }

    fn clear_tail(&mut self) {
        let rest = self.len % 64;
        if rest != 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= (1 << rest) - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bits;

    fn of(pattern: &str) -> Bits {
        let mut bits = Bits::zeros(pattern.len());
        for (i, c) in pattern.chars().enumerate() {
            if c == '1' {
                bits.set(i);
            }
        }
        bits
    }

    fn pattern(bits: &Bits) -> String {
        (0..bits.len)
            .map(|i| if bits.get(i) { '1' } else { '0' })
            .collect()
    }

    #[test]
    fn combine_and_count() {
        let a = of("1100101");
        let b = of("1010100");
        assert_eq!(pattern(&a.and(&b)), "1000100");
        assert_eq!(pattern(&a.or(&b)), "1110101");
        assert_eq!(pattern(&a.not()), "0011010");
        assert_eq!(a.not().count(), 3);
        assert_eq!(Bits::ones(70).count(), 70);
        assert_eq!(Bits::ones(70).not().count(), 0);
    }

    #[test]
    fn append_keeps_the_order_at_any_length() {
        let long: String = (0..130)
            .map(|i| if i % 3 == 0 { '1' } else { '0' })
            .collect();
        for split in [0, 1, 63, 64, 65, 128, 130] {
            let mut a = of(&long[..split]);
            a.append(&of(&long[split..]));
            assert_eq!(pattern(&a), long, "split at {split}");
            assert_eq!(a.count(), of(&long).count());
        }
    }
}
