Console.Error.WriteLine("dfx: no commands yet");
return 2;
