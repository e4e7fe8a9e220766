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
    a.iter().zip(b).map(|(x, y)| x * y).sum()
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
    }
}
