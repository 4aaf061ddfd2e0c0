print("token-warden")
