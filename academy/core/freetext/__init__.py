"""Written answers: word forms, negation, signs, graded examples, review reasons.

The automatic level of a written answer is a suggestion: the judge finds the
rubric's signs in the learner's own word forms and holds for review any
answer that games it (see docs/scoring.md).
"""
