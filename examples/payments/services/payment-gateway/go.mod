module payments.example/payment-gateway

go 1.22
