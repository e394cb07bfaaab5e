"""Disclosure (issue 23): the register of recipients, batches and items, and the rules by which
a batch goes from preparation through approval to disclosure."""
