"""How far each reader has read each discussion, so what arrived since is marked new for them."""
