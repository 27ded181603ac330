module payments.example/webhook-dispatcher

go 1.22
