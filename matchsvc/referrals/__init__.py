"""Referrals: 推荐 → 面试 → 录用 / 未录用, interest and declines."""
