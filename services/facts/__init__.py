"""The facts the case rests on -- institutions, positions, acts, tenures -- and the rules for
writing them: every create, update and delete of one of them goes through one function here,
called alike by the HTML view and the API resource. A refusal is raised as an error naming
the field at fault (services/facts/errors.py); each side says it in its own way.
"""
