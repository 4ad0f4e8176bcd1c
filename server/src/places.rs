//! Counted places: how many of something each key holds at once (requests in flight per
//! client address, open live streams per user). A place is given back when its holder
//! drops it, however the request or stream ends.
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

pub struct Places<K>(Arc<Mutex<HashMap<K, usize>>>);

impl<K> Clone for Places<K> {
    fn clone(&self) -> Self {
        Places(self.0.clone())
    }
}

impl<K> Default for Places<K> {
    fn default() -> Self {
        Places(Arc::default())
    }
}

/// One place, held until dropped.
pub struct Place<K: Eq + Hash> {
    of: Places<K>,
    key: K,
}

impl<K: Eq + Hash + Clone> Places<K> {
    /// A place for `key`, unless it already holds `max`.
    pub fn take(&self, key: K, max: usize) -> Option<Place<K>> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = map.entry(key.clone()).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Place { of: self.clone(), key })
    }

    /// How many places `key` holds.
    pub fn held(&self, key: &K) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).get(key).copied().unwrap_or(0)
    }
}

impl<K: Eq + Hash> Drop for Place<K> {
    fn drop(&mut self) {
        let mut map = self.of.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_holds_at_most_its_share_and_gets_it_back() {
        let places: Places<&str> = Places::default();
        let held: Vec<Place<&str>> = (0..3).map(|_| places.take("a", 3).expect("within the cap")).collect();
        assert!(places.take("a", 3).is_none());
        assert!(places.take("b", 3).is_some(), "another key is not held up");
        drop(held);
        assert_eq!(places.held(&"a"), 0);
        assert!(places.take("a", 3).is_some());
    }
}
