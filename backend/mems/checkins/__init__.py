"""Daily check-ins (每日打卡): what each person did, will do next, and what blocks them."""
