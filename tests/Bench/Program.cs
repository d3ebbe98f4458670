Console.WriteLine("bench: placeholder");
