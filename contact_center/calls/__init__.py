"""Calls: the call log fed by CTI events, the screen-pop, and calls turned into tickets."""
