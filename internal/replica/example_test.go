package replica_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dnsnexus/dnsnexus/internal/replica"
)

// Files builds the replica in memory; the server logs start with a comment
// line that marks them synthetic, then the research-style header.
func ExampleFiles() {
	files, err := replica.Files(replica.DefaultSeed)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		fmt.Println(f.Name)
	}
	sc := bufio.NewScanner(bytes.NewReader(files[1].Data))
	for i := 0; i < 3 && sc.Scan(); i++ {
		fmt.Println(sc.Text())
	}
	// Output:
	// README.txt
	// ns1_cdcservices_com.log
	// ns2_cdcservices_com.log
	// ns3_cdcservices_com.log
	// 167.73.110.8.whois
	// 198.91.42.242.whois
	// 217.12.96.15.whois
	// 217.12.97.137.whois
	// 217.12.97.15.whois
	// 66.216.133.29.whois
	// contact-client.com.whois
	// trump-email.com.whois
	// recursive_dns.log
	// # SYNTHETIC RECONSTRUCTION (dnsnexus Tea Leaves replica), not the original data; see README.txt
	// TIMESTAMP | HOSTNAME | QUERY ORIGINATOR IP
	// 2016-05-04T04:03:27.000Z | mail1.trump-email.com | 217.12.96.15
}

// Generate writes the replica into a folder, for programs that read files.
func ExampleGenerate() {
	dir, err := os.MkdirTemp("", "tealeaves")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	if err := replica.Generate(dir, replica.DefaultSeed); err != nil {
		fmt.Println(err)
		return
	}
	b, err := os.ReadFile(filepath.Join(dir, replica.ReadmeFile))
	if err != nil {
		fmt.Println(err)
		return
	}
	first, _, _ := bytes.Cut(b, []byte("\n"))
	fmt.Println(string(first))
	// Output:
	// SYNTHETIC RECONSTRUCTION - NOT THE ORIGINAL DATA
}
