fn main() {
    println!("ledger: placeholder");
}
