"""The screen-pop floor: the same process hops as the product with nothing else in them."""
