//! Dense `u32` ids for model elements. The user's own string ids live on the
//! elements (`source_id`); these index the network's vectors.

use serde::Serialize;

macro_rules! dense_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);

        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
            pub fn from_index(i: usize) -> Self {
                Self(u32::try_from(i).expect("more than u32::MAX elements"))
            }
        }
    };
}

dense_id!(
    /// Index of a node in [`crate::Network::nodes`].
    NodeId
);
dense_id!(
    /// Index of a link in [`crate::Network::links`].
    LinkId
);
dense_id!(
    /// Index of a terminal in [`crate::Network::terminals`].
    TerminalId
);
dense_id!(
    /// Index of a border in [`crate::Network::borders`].
    BorderId
);
dense_id!(
    /// Index of a commodity in [`crate::Network::commodities`].
    CommodityId
);
