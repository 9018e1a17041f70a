"""Employers and graduates acting for themselves, and referrals from 推荐 to 录用."""
