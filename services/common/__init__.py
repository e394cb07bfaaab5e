"""What every area uses: access rules, saving records, the data's generation, text rules, the
order of the session's hooks, the chains' key."""
