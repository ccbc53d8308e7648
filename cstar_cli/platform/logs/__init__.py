"""The API request log (D17): recorded by the gateway, listed and streamed live."""
