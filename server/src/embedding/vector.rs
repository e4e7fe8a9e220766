//! Vectors as the database stores them (little-endian `f32`s in a BLOB) and the similarity of two.

/// A vector as a BLOB: its `f32`s, little-endian, one after another.
pub fn to_blob(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A BLOB back as a vector; `None` unless it holds exactly `dimensions` values.
pub fn from_blob(blob: &[u8], dimensions: usize) -> Option<Vec<f32>> {
    (blob.len() == dimensions * 4)
        .then(|| blob.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
}

/// The dot product: the cosine similarity of two unit vectors, from -1 (opposite) to 1 (same direction).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    // Eight running sums, not one: floating-point addition is not reassociated by the compiler, so a single sum is a
    // chain of dependent adds; eight independent lanes let it use SIMD (a search takes one dot per product).
    const LANES: usize = 8;
    let mut sums = [0.0f32; LANES];
    let (a_chunks, b_chunks) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = a_chunks.remainder().iter().zip(b_chunks.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        let (x, y): (&[f32; LANES], &[f32; LANES]) =
            (x.try_into().unwrap_or(&[0.0; LANES]), y.try_into().unwrap_or(&[0.0; LANES]));
        for i in 0..LANES {
            sums[i] += x[i] * y[i];
        }
    }
    sums.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_round_trip() {
        let v = vec![0.5, -1.25, 3.0e-8, f32::MAX];
        assert_eq!(from_blob(&to_blob(&v), 4), Some(v.clone()));
        assert_eq!(from_blob(&to_blob(&v), 3), None, "a vector of another model's size is no vector");
        assert!((dot(&[0.6, 0.8], &[0.6, 0.8]) - 1.0).abs() < 1e-6);
        let a: Vec<f32> = (0..19).map(|i| i as f32 * 0.25).collect();
        let b: Vec<f32> = (0..19).map(|i| 1.0 - i as f32 * 0.1).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-4, "lanes and tail add up to the plain sum");
    }
}
